package org.socsecgateway.dfdgpoller.client;

import java.net.URI;
import java.util.List;

/**
 * A new sequence and what DFDG has waiting in it ({@code CreateSequenceResponse}, DFDG guide §2.3.2.1,
 * docs/partners.md).
 *
 * @param sequenceId the sequence {@code Identifier} (GUID)
 * @param services   per service: its Get operation, endpoint and message count
 */
public record Inventory(String sequenceId, List<ServiceItem> services) {

    /** One {@code ServiceItem{ServiceName, ServiceEndpoint, MessageCount}}. */
    public record ServiceItem(String serviceName, URI serviceEndpoint, int messageCount) {
    }

    /** Messages waiting in all services. */
    public long messageCount() {
        return services.stream().mapToLong(ServiceItem::messageCount).sum();
    }

    /** An empty inventory: DFDG closed the sequence itself (DFDG guide §2.3.2.1.1, docs/partners.md). */
    public boolean empty() {
        return messageCount() == 0;
    }
}
