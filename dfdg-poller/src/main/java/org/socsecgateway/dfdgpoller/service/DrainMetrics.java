package org.socsecgateway.dfdgpoller.service;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.socsecgateway.dfdg.soap.DfdgFault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The poller's metrics (README "Metrics"). Label values are bounded: outcomes are fixed, services are operations our
 * WSDL knows (any other is {@code unknown}), error codes are DFDG's ErrorCodes or a failure kind.
 */
@Singleton
public class DrainMetrics {

    private final MeterRegistry registry;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final Timer drainTime;

    private final java.util.List<Gauge> gauges = new java.util.ArrayList<>();

    DrainMetrics(MeterRegistry registry) {
        this.registry = registry;
        gauges.add(Gauge.builder("dfdg_wsrm_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
                .description("When the last drain ended with an empty queue (epoch seconds; 0 = not yet since start)")
                .register(registry));
        gauges.add(Gauge.builder("dfdg_wsrm_messages_waiting", waiting, AtomicLong::get)
                .description("Messages waiting at DFDG according to the last inventory")
                .register(registry));
        drainTime = Timer.builder("dfdg.wsrm.drain.duration").description("Time of one drain")
                .publishPercentileHistogram(false).register(registry);
        // Registered at start with their bounded label values, so that alerts on rate()/increase() see the first one.
        for (SequenceOutcome outcome : SequenceOutcome.values()) {
            sequences(outcome);
        }
        for (String reason : new String[] {"unknown_operation", "endpoint_not_allowed"}) {
            inventoryRefused(reason);
        }
        for (String call : new String[] {"ingest", "receipt"}) {
            receiverFailures(call);
        }
        ingested(0, 0);
    }

    /** A gauge reads this instance's state: a registry that outlives it (tests restart the application) must not keep it. */
    @jakarta.annotation.PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
    }

    /** One sequence ended with this outcome. */
    void sequence(SequenceOutcome outcome) {
        sequences(outcome).increment();
    }

    private Counter sequences(SequenceOutcome outcome) {
        return Counter.builder("dfdg.wsrm.sequences").description("WSRM sequences by outcome")
                .tag("outcome", outcome.label()).register(registry);
    }

    /** Messages fetched from a service (a Get operation our WSDL knows). */
    void fetched(String service, int count) {
        Counter.builder("dfdg.wsrm.messages.fetched").description("Messages fetched, by service")
                .tag("service", service).register(registry).increment(count);
    }

    /** Messages handed to wsb-receiver: newly stored or already there. */
    void ingested(int stored, int duplicates) {
        Counter.builder("dfdg.wsrm.messages.ingested").tag("result", "stored").register(registry).increment(stored);
        Counter.builder("dfdg.wsrm.messages.ingested").tag("result", "duplicate").register(registry).increment(duplicates);
    }

    /** A failed DFDG call, by operation and ErrorCode (or failure kind). */
    void fault(String operation, DfdgFault fault) {
        Counter.builder("dfdg.soap.faults").description("Failed DFDG calls by operation and ErrorCode or kind")
                .tag("operation", operation).tag("code", fault.codeLabel()).register(registry).increment();
    }

    /** The inventory named an operation the WSDL does not have, or an endpoint off the allowed hosts: alert. */
    void refusedInventory(String reason) {
        inventoryRefused(reason).increment();
    }

    private Counter inventoryRefused(String reason) {
        return Counter.builder("dfdg.wsrm.inventory.refused")
                .description("Sequences closed unread because the inventory named an unknown operation or a foreign endpoint")
                .tag("reason", reason).register(registry);
    }

    /** wsb-receiver refused or could not take a batch or receipt. */
    void receiverFailure(String call) {
        receiverFailures(call).increment();
    }

    private Counter receiverFailures(String call) {
        return Counter.builder("dfdg.wsrm.receiver.failures")
                .description("Batches or receipts wsb-receiver refused or could not take").tag("call", call).register(registry);
    }

    void waiting(long count) {
        waiting.set(count);
    }

    void succeeded(Instant at) {
        lastSuccess.set(at.getEpochSecond());
    }

    Timer drainTime() {
        return drainTime;
    }
}
