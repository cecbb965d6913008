package org.socsecgateway.codelist.rest;

import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

/**
 * Who may do what, by the caller token's subject: read the lists ({@code codelist.access.readers}, {@code *} = every
 * authenticated caller) and ask for a refresh ({@code codelist.access.operators}).
 */
@Singleton
public class CallerPolicy {

    private final boolean everyoneReads;
    private final Set<String> readers;
    private final Set<String> operators;

    CallerPolicy(CodeListConfig config) {
        List<String> configured = config.access().readers();
        this.everyoneReads = configured.contains("*");
        this.readers = Set.copyOf(configured);
        this.operators = Set.copyOf(config.access().operators().orElse(List.of()));
        if (operators.contains("*")) {
            throw new IllegalStateException("codelist.access.operators: name each operator's subject; * is only for readers");
        }
    }

    /** @throws ProblemException 403 when {@code subject} may not read code lists */
    public void checkRead(String subject) {
        if (!everyoneReads && !readers.contains(subject) && !operators.contains(subject)) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not read code lists");
        }
    }

    /** @throws ProblemException 403 when {@code subject} may not ask for a refresh */
    public void checkRefresh(String subject) {
        if (!operators.contains(subject)) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not refresh code lists");
        }
    }
}
