package org.socsecgateway.bcssproxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real token broker, started from its packaged jar as a separate process, as it runs in production. */
final class BrokerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("..", "token-broker", "target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final int management;

    private BrokerProcess(Process process, int port, int management) {
        this.process = process;
        this.port = port;
        this.management = management;
    }

    static BrokerProcess start(Map<String, String> config, Path log) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build token-broker first (./mvnw verify builds it)");
        }
        int port = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + management);
        command.add("-Dquarkus.log.console.json.enabled=false");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BrokerProcess broker = new BrokerProcess(process, port, management);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        broker.awaitReady(management, log);
        return broker;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The broker's Prometheus metrics ({@code broker_token_requests_total{outcome}} counts token requests). */
    String metricsUrl() {
        return "http://127.0.0.1:" + management + "/q/metrics";
    }

    private void awaitReady(int management, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/health/ready")).build();
        Instant end = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(end) && process.isAlive()) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("The token broker did not become ready; its log:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
