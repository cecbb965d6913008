package org.socsecgateway.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metrics the Helm chart's alerts and dashboard may use, per service: {@code deploy/src/test/resources/exported-metrics/<service>.txt}
 * (one Prometheus name per line, {@code #} comments), which the chart test checks every rendered expression against.
 * A service's test checks them against its real {@code /q/metrics}, so alert names ⊆ list ⊆ what the service exports.
 */
public final class ExportedMetrics {

    private ExportedMetrics() {
    }

    /** The names listed for {@code service}, read from a service module's directory (the reactor's layout). */
    public static List<String> listed(String service) {
        try {
            return Files.readAllLines(Path.of("../deploy/src/test/resources/exported-metrics/" + service + ".txt")).stream()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metric names of a Prometheus text exposition (the part of each sample line before the labels or the value). */
    public static Set<String> names(String exposition) {
        return exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    /** Fails unless the list of {@code service} is not empty and every name in it is a metric of {@code exposition}. */
    public static void assertAllExported(String service, String exposition) {
        List<String> listed = listed(service);
        assertThat(listed).as("exported-metrics/%s.txt", service).isNotEmpty();
        assertThat(names(exposition)).as("/q/metrics of %s", service).containsAll(listed);
    }
}
