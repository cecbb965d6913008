package org.socsecgateway.bcssproxy.service;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.bcssproxy.config.ProxyConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Vertx;

/** The allow-list of APIs and which caller may call which. */
@ApplicationScoped
public class ApiRegistry {

    private final Map<String, ApiRoute> routes = new TreeMap<>();
    private final Map<String, Set<String>> callerApis;
    private final MeterRegistry meters;
    private final List<Meter> gauges = new ArrayList<>();

    ApiRegistry(ProxyConfig config, MeterRegistry meters, Vertx vertx) {
        this.meters = meters;
        config.apis().forEach((name, api) -> {
            URI base = api.baseUrl().orElse(config.environment().restBase(config.channel(), name));
            if (!"https".equals(base.getScheme())) {
                throw new IllegalArgumentException("proxy.apis." + name + ".base-url must be an https URL");
            }
            ApiGuard guard = new ApiGuard(name, vertx, api.maxConcurrent(), api.maxQueued(), api.maxQueueWait(),
                    config.breaker().failureThreshold(), config.breaker().openFor());
            ApiRoute route = new ApiRoute(name, base, Set.copyOf(api.scopes()), api.timeout(), api.healthPath(), guard);
            routes.put(name, route);
            gauges.add(Gauge.builder("proxy.breaker.state", guard, g -> g.state().gaugeValue())
                    .description("Circuit breaker per API: 0 closed, 1 open, 2 half open")
                    .tags(Tags.of("api", name)).register(meters));
            gauges.add(Gauge.builder("proxy.upstream.in.flight", guard, ApiGuard::inFlight)
                    .description("Calls in flight per API").tags(Tags.of("api", name)).register(meters));
            gauges.add(Gauge.builder("proxy.upstream.queued", guard, ApiGuard::waiting)
                    .description("Calls waiting for a place per API").tags(Tags.of("api", name)).register(meters));
        });
        this.callerApis = config.callers().stream()
                .collect(Collectors.toUnmodifiableMap(ProxyConfig.Caller::subject, c -> Set.copyOf(c.apis())));
        callerApis.forEach((caller, apis) -> apis.stream().filter(api -> !routes.containsKey(api)).findAny()
                .ifPresent(api -> {
                    throw new IllegalArgumentException("Caller " + caller + " is allowed API '" + api + "', which is not in proxy.apis");
                }));
    }

    /** Meters outlive the application in a shared registry; a gauge must not keep reading a stopped instance. */
    @PreDestroy
    void unregister() {
        gauges.forEach(meters::remove);
    }

    public Optional<ApiRoute> find(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    public Collection<ApiRoute> all() {
        return routes.values();
    }

    public boolean allows(String caller, String api) {
        return callerApis.getOrDefault(caller, Set.of()).contains(api);
    }
}
