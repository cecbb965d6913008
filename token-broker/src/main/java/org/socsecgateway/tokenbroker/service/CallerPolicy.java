package org.socsecgateway.tokenbroker.service;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

/** Which internal caller may have tokens for which scopes, and which scopes exist at all. */
@ApplicationScoped
public class CallerPolicy {

    private final Set<String> registeredScopes;
    private final Map<String, BrokerConfig.Caller> callers;

    CallerPolicy(BrokerConfig config) {
        this.registeredScopes = Set.copyOf(config.client().scopes());
        this.callers = config.callers().stream()
                .collect(Collectors.toUnmodifiableMap(BrokerConfig.Caller::subject, Function.identity()));
    }

    /** Refuses (403) a caller that may not have these scopes, or (400) scopes the client does not have. */
    public void check(String subject, ScopeSet scopes) {
        BrokerConfig.Caller caller = callers.get(subject);
        if (caller == null) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller is not allowed to obtain tokens");
        }
        Set<String> unknown = new TreeSet<>(scopes.values());
        unknown.removeAll(registeredScopes);
        if (!unknown.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "Unknown scope(s) for this client: " + String.join(" ", unknown));
        }
        if (scopes.isDefault() ? !caller.defaultScopes() : !allowed(caller).containsAll(scopes.values())) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller is not allowed to obtain tokens for " + scopes);
        }
    }

    public boolean mayUse(String subject, ScopeSet scopes) {
        BrokerConfig.Caller caller = callers.get(subject);
        return caller != null && (scopes.isDefault() ? caller.defaultScopes() : allowed(caller).containsAll(scopes.values()));
    }

    private static Set<String> allowed(BrokerConfig.Caller caller) {
        return caller.scopes().orElse(Set.of());
    }
}
