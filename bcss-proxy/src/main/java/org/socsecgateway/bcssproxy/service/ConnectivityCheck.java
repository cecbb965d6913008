package org.socsecgateway.bcssproxy.service;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.bcssproxy.client.BcssGatewayClient;
import org.socsecgateway.bcssproxy.client.TokenBrokerClient;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.bcssproxy.service.ConnectivityReport.Status;
import org.socsecgateway.bcssproxy.service.ConnectivityReport.Step;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Runs the configuration test of the BCSS onboarding procedure for every allow-listed API: DNS, TCP (the firewall
 * flow), TLS with our client certificate, token retrieval, then the API's {@code /health}. Every step is bounded in
 * time; a step whose prerequisite failed is skipped.
 */
@ApplicationScoped
public class ConnectivityCheck {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

    private final ApiRegistry registry;
    private final TokenBrokerClient tokens;
    private final BcssGatewayClient gateway;
    private final ProxyConfig config;

    ConnectivityCheck(ApiRegistry registry, TokenBrokerClient tokens, BcssGatewayClient gateway, ProxyConfig config) {
        this.registry = registry;
        this.tokens = tokens;
        this.gateway = gateway;
        this.config = config;
    }

    public ConnectivityReport run() {
        Instant started = Instant.now();
        List<Step> steps = new ArrayList<>();
        Map<String, Boolean> hostReachable = new LinkedHashMap<>();
        for (ApiRoute api : registry.all()) {
            hostReachable.computeIfAbsent(hostPort(api.baseUrl()), key -> checkHost(api.baseUrl(), steps));
        }
        Map<Set<String>, String> tokenByScopes = new LinkedHashMap<>();
        for (ApiRoute api : registry.all()) {
            Set<String> scopes = api.scopes();
            if (!tokenByScopes.containsKey(scopes)) {
                tokenByScopes.put(scopes, checkToken(scopes, steps));
            }
        }
        for (ApiRoute api : registry.all()) {
            String token = tokenByScopes.get(api.scopes());
            if (!hostReachable.get(hostPort(api.baseUrl())) || token == null) {
                steps.add(new Step("health", api.health().toString(), Status.SKIPPED, 0, "an earlier step failed", null));
            } else {
                steps.add(checkHealth(api, token));
            }
        }
        Status overall = steps.stream().allMatch(step -> step.status() == Status.PASS) ? Status.PASS : Status.FAIL;
        return new ConnectivityReport(config.environment().name().toLowerCase(), config.channel().name().toLowerCase(),
                overall, started, Duration.between(started, Instant.now()).toMillis(), steps);
    }

    private boolean checkHost(URI base, List<Step> steps) {
        String host = base.getHost();
        int port = base.getPort() == -1 ? 443 : base.getPort();
        String target = host + ":" + port;

        long t0 = System.nanoTime();
        InetAddress[] addresses;
        try {
            addresses = bounded(() -> {
                try {
                    return InetAddress.getAllByName(host);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("unknown host", e);
                }
            });
            steps.add(new Step("dns", host, Status.PASS, millisSince(t0),
                    Arrays.stream(addresses).map(InetAddress::getHostAddress).collect(Collectors.joining(", ")), null));
        } catch (RuntimeException e) {
            steps.add(new Step("dns", host, Status.FAIL, millisSince(t0), "does not resolve",
                    "The host name does not resolve: check the DNS servers (extranet hosts resolve only through the extranet's DNS) and the configured base URL"));
            steps.add(new Step("tcp", target, Status.SKIPPED, 0, "DNS failed", null));
            steps.add(new Step("tls", target, Status.SKIPPED, 0, "DNS failed", null));
            return false;
        }

        t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(addresses[0], port), (int) STEP_TIMEOUT.toMillis());
            steps.add(new Step("tcp", target, Status.PASS, millisSince(t0), "connected to " + addresses[0].getHostAddress(), null));
        } catch (SocketTimeoutException e) {
            steps.add(new Step("tcp", target, Status.FAIL, millisSince(t0), "no answer within " + STEP_TIMEOUT.toSeconds() + " s",
                    "A TCP timeout usually means the firewall flow towards " + target
                            + " is not open yet: send or chase the BCSS firewall form (ouverture des flux) and check your own egress rules"));
            steps.add(new Step("tls", target, Status.SKIPPED, 0, "TCP failed", null));
            return false;
        } catch (IOException e) {
            boolean refused = e instanceof ConnectException;
            steps.add(new Step("tcp", target, Status.FAIL, millisSince(t0), refused ? "connection refused" : e.getClass().getSimpleName(),
                    refused ? "The host answers but nothing accepts connections on port " + port
                            + ": check the port (4543 for REST on the extranet) and the base URL" : "Check routing towards " + target));
            steps.add(new Step("tls", target, Status.SKIPPED, 0, "TCP failed", null));
            return false;
        }

        Step tls = checkTls(host, port, target);
        steps.add(tls);
        return tls.status() == Status.PASS;
    }

    private Step checkTls(String host, int port, String target) {
        long t0 = System.nanoTime();
        try {
            SSLContext context = gateway.tls() != null ? gateway.tls().createSSLContext() : SSLContext.getDefault();
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(host, port), (int) STEP_TIMEOUT.toMillis());
                socket.setSoTimeout((int) STEP_TIMEOUT.toMillis());
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                SSLSession session = socket.getSession();
                X509Certificate server = (X509Certificate) session.getPeerCertificates()[0];
                boolean clientCertificateSent = session.getLocalCertificates() != null;
                String detail = "server certificate '" + server.getSubjectX500Principal().getName() + "' valid until "
                        + server.getNotAfter().toInstant() + "; " + session.getProtocol() + "; client certificate "
                        + (clientCertificateSent ? "requested, sent and accepted" : "not requested by the server");
                return new Step("tls", target, Status.PASS, millisSince(t0), detail, null);
            }
        } catch (SSLHandshakeException e) {
            String message = String.valueOf(e.getMessage());
            String hint = message.contains("bad_certificate") || message.contains("certificate_required")
                    || message.contains("certificate_unknown") && !message.contains("PKIX")
                            ? "The gateway refused our client certificate: check that proxy's TLS key store holds the certificate registered at BCSS for this environment"
                            : message.contains("PKIX") || message.contains("certification path")
                                    ? "The gateway's certificate is not trusted: add its CA to the gateway trust store (quarkus.tls." + config.gateway().tlsConfigurationName() + ".trust-store)"
                                    : message.contains("No subject alternative") || message.contains("name")
                                            ? "The gateway's certificate does not match the host name: check the base URL"
                                            : "TLS handshake failed: check the TLS configuration " + config.gateway().tlsConfigurationName();
            return new Step("tls", target, Status.FAIL, millisSince(t0), "handshake failed: " + message, hint);
        } catch (Exception e) {
            return new Step("tls", target, Status.FAIL, millisSince(t0), e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "TLS could not be set up: check the TLS configuration " + config.gateway().tlsConfigurationName());
        }
    }

    private String checkToken(Set<String> scopes, List<Step> steps) {
        long t0 = System.nanoTime();
        String target = String.join(" ", new LinkedHashSet<>(scopes));
        try {
            String token = tokens.token(scopes).await().atMost(STEP_TIMEOUT);
            steps.add(new Step("token", target, Status.PASS, millisSince(t0), "access token obtained from the token broker", null));
            return token;
        } catch (RuntimeException e) {
            steps.add(new Step("token", target, Status.FAIL, millisSince(t0), e.getClass().getSimpleName(),
                    "The token broker gave no token: check its readiness and log (signing certificate registered at BCSS? client-id and scopes right?) and that this proxy is among its callers"));
            return null;
        }
    }

    private Step checkHealth(ApiRoute api, String token) {
        long t0 = System.nanoTime();
        String target = api.health().toString();
        try {
            HttpClientResponse response = gateway.request(new RequestOptions().setMethod(HttpMethod.GET)
                    .setAbsoluteURI(target).setIdleTimeout(STEP_TIMEOUT.toMillis())
                    .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .putHeader("BelGov-Trace-Id", java.util.UUID.randomUUID().toString()))
                    .compose(request -> request.send())
                    .toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            response.body();
            int status = response.statusCode();
            if (status == 200) {
                return new Step("health", target, Status.PASS, millisSince(t0), "HTTP 200", null);
            }
            String hint = status == 401 || status == 403
                    ? "The API refused the access token: check the scopes configured for API '" + api.name() + "' against those BCSS granted"
                    : status == 404 ? "No health resource there: check the base URL and health path of API '" + api.name() + "'"
                            : "The API reports a problem (HTTP " + status + "): check BCSS's service status";
            return new Step("health", target, Status.FAIL, millisSince(t0), "HTTP " + status, hint);
        } catch (Exception e) {
            return new Step("health", target, Status.FAIL, millisSince(t0), e.getClass().getSimpleName(),
                    "The health call failed although TLS worked: check timeouts and the API's base URL");
        }
    }

    private static <T> T bounded(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work).get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
