package org.socsecgateway.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.socsecgateway.simulators.internal.Json;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerOptions;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal WSB receiver for the tests: HTTPS, requires a client certificate signed by (or equal to) the given
 * one, answers {@code POST /wsb/**} with the status its {@link Policy} picks and records every arrival.
 */
public final class TestWsbReceiver implements AutoCloseable {

    /** The status to answer for the {@code attempt}-th arrival (1-based) of a message id. */
    @FunctionalInterface
    public interface Policy {
        int status(String messageId, int attempt);
    }

    /**
     * One request as received.
     *
     * @param nanos         {@link System#nanoTime()} on arrival
     * @param clientSubject subject of the client certificate presented
     */
    public record Arrival(String messageId, String cpr, String tidspunkt, int attempt, int status, long nanos,
                          String clientSubject, String path, String contentType, JsonNode body) {

        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private final LocalHttpServer server;
    private final List<Arrival> arrivals = new ArrayList<>(); // guarded by itself
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile Policy policy = (id, attempt) -> 200;

    private TestWsbReceiver(Path certPem, Path keyPem, Path trustedClientCert) {
        server = new LocalHttpServer("test WSB receiver",
                ServerOptions.https(ServerOptions.LOOPBACK, 0, certPem, keyPem, trustedClientCert), this::routes);
    }

    public static TestWsbReceiver start(Path certPem, Path keyPem, Path trustedClientCert) {
        TestWsbReceiver receiver = new TestWsbReceiver(certPem, keyPem, trustedClientCert);
        receiver.server.start();
        return receiver;
    }

    /** {@code https://localhost:<port>/wsb}: the host name matches the generated server certificate. */
    public String baseUrl() {
        return ServerOptions.httpsOrigin("localhost", server.port()) + "/wsb";
    }

    public TestWsbReceiver policy(Policy policy) {
        this.policy = policy;
        return this;
    }

    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    public List<Arrival> arrivals(String messageId) {
        return arrivals().stream().filter(a -> a.messageId().equals(messageId)).toList();
    }

    /** Forgets the arrivals and answers 200 again. */
    public void reset() {
        synchronized (arrivals) {
            arrivals.clear();
        }
        attempts.clear();
        policy = (id, attempt) -> 200;
    }

    @Override
    public void close() {
        server.close();
    }

    private Router routes(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
        router.post("/wsb/*").handler(this::receive);
        return router;
    }

    private void receive(RoutingContext ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body().asString());
        } catch (Exception e) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        String id = body.path("MeddelelseId").asText();
        int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        int status = policy.status(id, attempt);
        Arrival arrival = new Arrival(id, body.path("Subjekt").path("Identifikation").asText(),
                body.path("Tidspunkt").asText(), attempt, status, System.nanoTime(), clientSubject(ctx),
                ctx.request().path(), ctx.request().getHeader("Content-Type"), body);
        synchronized (arrivals) {
            arrivals.add(arrival);
        }
        ctx.response().setStatusCode(status).end();
    }

    private static String clientSubject(RoutingContext ctx) {
        try {
            Certificate[] chain = ctx.request().sslSession().getPeerCertificates();
            return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return null;
        }
    }
}
