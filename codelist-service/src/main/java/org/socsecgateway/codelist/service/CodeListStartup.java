package org.socsecgateway.codelist.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;
import org.socsecgateway.codelist.client.DfdgCodeListClient;
import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.codelist.store.CodeListStore;

import io.quarkus.runtime.StartupEvent;

/**
 * At start: checks the list configuration against the WSDL, registers the lists in PostgreSQL and loads their
 * snapshots into memory, so the service serves before (and without) any DFDG call. A wrong configuration stops the
 * start with a message that names the setting.
 */
@ApplicationScoped
public class CodeListStartup {

    private static final Logger LOG = Logger.getLogger(CodeListStartup.class);

    void onStart(@Observes StartupEvent event, CodeListCatalog catalog, CodeListStore store, DfdgCodeListClient client,
                 FetchScheduler scheduler, ManagedExecutor executor) {
        if (catalog.operations().isEmpty()) {
            throw new IllegalStateException("No code list configured: set codelist.lists.<name>.operation");
        }
        catalog.operations().forEach((name, operation) -> {
            if (!name.matches(CodeListConfig.LIST_NAME)) {
                throw new IllegalStateException("codelist.lists." + name + ": a list name is lower case letters, digits and"
                        + " dashes (" + CodeListConfig.LIST_NAME + ")");
            }
            if (!client.knowsOperation(operation)) {
                throw new IllegalStateException("codelist.lists." + name + ".operation=" + operation
                        + ": CodeListService's WSDL has no such operation");
            }
        });
        store.register(catalog.operations());
        catalog.sync();
        List<String> empty = catalog.names().stream()
                .filter(n -> catalog.get(n).map(s -> !s.hasSnapshot()).orElse(true)).toList();
        LOG.infof("Code lists loaded from PostgreSQL: %s; without a snapshot yet: %s", catalog.names(), empty);
        // the first schedule check now, not one check-every after start: a missing list is fetched at once
        executor.runAsync(scheduler::check);
    }
}
