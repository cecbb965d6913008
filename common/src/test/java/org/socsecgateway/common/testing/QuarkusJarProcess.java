package org.socsecgateway.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of our services started from its packaged jar (quarkus-app, built earlier in the reactor or in this module's
 * package phase) as its own process: for tests that need the real thing next to them (dfdg-poller drains into
 * wsb-receiver) or a second instance of the service under test (two codelist-service replicas on one database).
 * HTTP and management listen on free ports on 127.0.0.1, whatever the given properties say.
 */
public final class QuarkusJarProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final Path log;

    private QuarkusJarProcess(String name, Process process, int httpPort, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts {@code jar} with these system properties, its output in {@code log}, and waits until it is ready (at most
     * 90 s).
     *
     * @throws IllegalStateException when the jar is missing, the process stops, or it is not ready in time
     */
    public static QuarkusJarProcess start(String name, Path jar, Map<String, String> properties, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not packaged at " + jar + ": build it first (./mvnw package)");
        }
        int http = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        // the given properties first: the ports and hosts below must win over any in them
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-Dvertx.disableURIValidation=true");
        command.add("-Dquarkus.http.port=" + http);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + management);
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.http.ssl-port=" + freePort());
        command.add("-Dquarkus.log.console.json.enabled=false");
        command.add("-jar");
        command.add(jar.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            QuarkusJarProcess started = new QuarkusJarProcess(name, process, http, management, log);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar's path from a system property the module's build sets, else {@code fallback}. */
    public static Path jar(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback));
    }

    /** Its HTTP listener, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Its management listener (health, metrics). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Where its output goes. */
    public Path log() {
        return log;
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped at start; see " + log);
            }
            try {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " was not ready within 90 s; see " + log);
    }

    /** A port free right now on this machine. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
