package org.socsecgateway.simulators.wsrm;

import java.util.List;
import java.util.Objects;

/**
 * What {@link WsrmQueue#fill(WsrmLoad)} enqueues: {@code count} messages for {@code subscriber}, each of a service
 * drawn from {@code services}, about a pool of {@code citizens} CPR numbers, reproducible from {@code seed}
 * (except the MessageIdentifiers, which are always fresh GUIDs).
 */
public record WsrmLoad(String subscriber, int count, List<MessageService> services, int citizens, long seed) {

    /** Upper bound of one load. */
    public static final int MAX_COUNT = 1_000_000;

    public WsrmLoad {
        WsrmQueue.checkSubscriber(subscriber);
        Objects.requireNonNull(services, "services");
        services = List.copyOf(services);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("services must name at least one service");
        }
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be 0.." + MAX_COUNT);
        }
        if (citizens < 1) {
            throw new IllegalArgumentException("citizens must be at least 1");
        }
    }

    /** Every service. */
    public static WsrmLoad allServices(String subscriber, int count, int citizens, long seed) {
        return new WsrmLoad(subscriber, count, List.of(MessageService.values()), citizens, seed);
    }
}
