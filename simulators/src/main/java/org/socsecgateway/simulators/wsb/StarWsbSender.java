package org.socsecgateway.simulators.wsb;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fake STAR WSB sender: POSTs {@link WsbMessage}s as JSON to a receiver over HTTPS, presenting a client
 * certificate as STAR does, and follows STAR's delivery rules (docs/partners.md, "WSB (webhooks)"):
 * <ul>
 *   <li>any 2xx = delivered;</li>
 *   <li>5xx, and a request without answer (connection or TLS failure, timeout), is retried after
 *       {@code min(10800 s, (2^n − 1) × retryBaseDelay)} for the n-th failed attempt (1, 3, 7, ... s with the
 *       default base of 1 s), until {@code maxAttempts} attempts, then given up;</li>
 *   <li>4xx is permanent (rejected) unless {@code retryClientErrors(true)}, as STAR did in practice; other
 *       statuses (1xx, 3xx) are permanent;</li>
 *   <li>messages about the same citizen (CPR) are delivered strictly one after the other, in order: while one is
 *       being retried the later ones wait; a message's end (delivered, rejected or given up) releases the next.
 *       Other citizens go on meanwhile: a citizen waiting for a retry does not hold one of the
 *       {@code concurrency} request slots.</li>
 * </ul>
 * The server certificate is always verified, host name included; there is no trust-all switch.
 * Thread-safe; each run keeps its state on one Vert.x context. The blocking methods must not be called on
 * this sender's own event loop.
 */
public final class StarWsbSender implements AutoCloseable {

    /** Upper bound of STAR's retry delay. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10_800);
    public static final int MAX_CONCURRENCY = 256;

    private final Vertx vertx;
    private final HttpClient client;
    private final String target;
    private final Duration retryBaseDelay;
    private final boolean retryClientErrors;
    private final int maxAttempts;
    private final int concurrency;
    private final Duration requestTimeout;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();

    private StarWsbSender(Builder b) {
        this.target = b.target;
        this.retryBaseDelay = b.retryBaseDelay;
        this.retryClientErrors = b.retryClientErrors;
        this.maxAttempts = b.maxAttempts;
        this.concurrency = b.concurrency;
        this.requestTimeout = b.requestTimeout;
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(2)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true) // the default, said out loud: host name verification stays on, only the given CA is trusted
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(b.clientCertPem.toString())
                        .setKeyPath(b.clientKeyPem.toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(b.trustedServerCertPem.toString()))
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()))
                .setKeepAlive(true);
        try {
            this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(MAX_CONCURRENCY));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The receiver's base URL; relative paths are appended to it. */
    public String target() {
        return target;
    }

    /** Delay before the attempt that follows the {@code failedAttempts}-th failed one: min(10800 s, (2^n − 1) × base). */
    public Duration retryDelay(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1");
        }
        if (failedAttempts >= 62) {
            return MAX_RETRY_DELAY;
        }
        long factor = (1L << failedAttempts) - 1;
        long baseNanos = retryBaseDelay.toNanos();
        if (baseNanos != 0 && factor > MAX_RETRY_DELAY.toNanos() / baseNanos) {
            return MAX_RETRY_DELAY;
        }
        Duration delay = Duration.ofNanos(baseNanos * factor);
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    /** Sends one message to {@code target + relativePath} and waits for its outcome. */
    public DeliveryReport send(String relativePath, WsbMessage message) {
        return sendAll(relativePath, List.of(message));
    }

    /** Sends the messages in order (per citizen) with this sender's concurrency and waits for every outcome. */
    public DeliveryReport sendAll(String relativePath, List<WsbMessage> messages) {
        return await(sendAllAsync(relativePath, messages));
    }

    /** As {@link #sendAll} without blocking. */
    public CompletionStage<DeliveryReport> sendAllAsync(String relativePath, List<WsbMessage> messages) {
        List<Item> items = messages.stream().map(m -> new Item(m, false)).toList();
        return run(relativePath, items, concurrency);
    }

    /**
     * Generates {@code spec.count()} messages from {@code spec.seed()}, sends each of a fraction
     * {@code spec.duplicateRate()} twice (the duplicate right after the original, same message id), with the
     * spec's concurrency, and waits for every outcome.
     */
    public DeliveryReport load(LoadSpec spec) {
        return await(loadAsync(spec));
    }

    /** As {@link #load} without blocking. */
    public CompletionStage<DeliveryReport> loadAsync(LoadSpec spec) {
        List<WsbMessage> messages = new WsbMessages(spec.seed(), spec.citizens()).next(spec.count());
        Random duplicates = new Random(spec.seed() ^ 0x5DEECE66DL);
        List<Item> items = new ArrayList<>();
        for (WsbMessage message : messages) {
            items.add(new Item(message, false));
            if (duplicates.nextDouble() < spec.duplicateRate()) {
                items.add(new Item(message, true));
            }
        }
        return run(spec.relativePath(), items, spec.concurrency());
    }

    /** Stops sending; runs still going end with an {@link IllegalStateException}. */
    @Override
    public void close() {
        running.forEach(run -> run.result.completeExceptionally(new IllegalStateException("the WSB sender was closed")));
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** {@code base + relativePath}, with exactly one slash between them. */
    static String join(String base, String relativePath) {
        if (relativePath == null || relativePath.isEmpty()) {
            return base;
        }
        boolean slashEnd = base.endsWith("/");
        boolean slashStart = relativePath.startsWith("/");
        if (slashEnd && slashStart) {
            return base + relativePath.substring(1);
        }
        return slashEnd || slashStart ? base + relativePath : base + "/" + relativePath;
    }

    static int checkConcurrency(int concurrency) {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY + ", not " + concurrency);
        }
        return concurrency;
    }

    private CompletionStage<DeliveryReport> run(String relativePath, List<Item> items, int concurrency) {
        String url = join(target, relativePath);
        URI.create(url); // fails early on a malformed path
        Run run = new Run(url, items, checkConcurrency(concurrency));
        running.add(run);
        run.result.whenComplete((report, failure) -> running.remove(run));
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> run.pump());
        return run.result;
    }

    private DeliveryReport await(CompletionStage<DeliveryReport> report) {
        Context current = Vertx.currentContext();
        if (current != null && current.owner() == vertx) {
            throw new IllegalStateException("do not block on the sender's own event loop; use the *Async methods");
        }
        try {
            return report.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** One message to send; a duplicate is a second item with the same message. */
    private record Item(WsbMessage message, boolean duplicate) {
    }

    /** The messages of one citizen, sent one at a time. */
    private static final class Lane {
        final String cpr;
        final Deque<Item> items = new ArrayDeque<>();
        final List<Integer> statuses = new ArrayList<>();
        String lastError;

        Lane(String cpr) {
            this.cpr = cpr;
        }
    }

    /** One sendAll/load; all its state is confined to the Vert.x context it runs on. */
    private final class Run {
        final String url;
        final int slots;
        final int total;
        final long startNanos = System.nanoTime();
        final int duplicates;
        final Deque<Lane> ready = new ArrayDeque<>();
        final List<DeliveryReport.Delivery> done = new ArrayList<>();
        final CompletableFuture<DeliveryReport> result = new CompletableFuture<>();
        int active;

        Run(String url, List<Item> items, int slots) {
            this.url = url;
            this.slots = slots;
            this.total = items.size();
            this.duplicates = (int) items.stream().filter(Item::duplicate).count();
            Map<String, Lane> lanes = new LinkedHashMap<>();
            for (Item item : items) {
                lanes.computeIfAbsent(item.message().cpr(), Lane::new).items.add(item);
            }
            ready.addAll(lanes.values());
        }

        void pump() {
            try {
                while (active < slots && !ready.isEmpty()) {
                    Lane lane = ready.poll();
                    active++;
                    attempt(lane);
                }
                if (done.size() == total && !result.isDone()) {
                    result.complete(new DeliveryReport(done, duplicates, Duration.ofNanos(System.nanoTime() - startNanos)));
                }
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        void attempt(Lane lane) {
            Item item = lane.items.element();
            post(item.message().toJson()).onComplete(ar -> {
                active--;
                try {
                    int status = ar.succeeded() ? ar.result() : 0;
                    lane.lastError = ar.succeeded() ? null : describe(ar.cause());
                    lane.statuses.add(status);
                    int attempts = lane.statuses.size();
                    if (status >= 200 && status < 300) {
                        finish(lane, DeliveryReport.Outcome.DELIVERED);
                    } else if (status != 0 && status < 500 && !(retryClientErrors && status >= 400)) {
                        finish(lane, DeliveryReport.Outcome.REJECTED);
                    } else if (attempts >= maxAttempts) {
                        finish(lane, DeliveryReport.Outcome.GAVE_UP);
                    } else {
                        // the citizen waits without holding a request slot; its later messages wait with it
                        long delayMs = Math.max(1, retryDelay(attempts).toMillis());
                        vertx.setTimer(delayMs, t -> {
                            ready.add(lane);
                            pump();
                        });
                    }
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                    return;
                }
                pump();
            });
        }

        void finish(Lane lane, DeliveryReport.Outcome outcome) {
            Item item = lane.items.remove();
            int last = lane.statuses.get(lane.statuses.size() - 1);
            done.add(new DeliveryReport.Delivery(item.message().meddelelseId(), lane.cpr, item.duplicate(), outcome,
                    lane.statuses.size(), last, lane.lastError, lane.statuses));
            lane.statuses.clear();
            lane.lastError = null;
            if (!lane.items.isEmpty()) {
                ready.add(lane);
            }
        }

        /** POSTs the JSON; succeeds with the status once the answer's body has been read. */
        Future<Integer> post(String json) {
            RequestOptions request = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(url)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Accept", "application/json")
                    .putHeader("User-Agent", "socsec-gateway STAR WSB simulator")
                    .setIdleTimeout(requestTimeout.toMillis());
            return client.request(request)
                    .compose(req -> req.send(Buffer.buffer(json)))
                    .compose(response -> response.body().map(body -> response.statusCode()));
        }
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getSimpleName());
        if (failure.getMessage() != null) {
            text.append(": ").append(failure.getMessage());
        }
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure && cause.getMessage() != null) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return text.toString();
    }

    /** Settings of a {@link StarWsbSender}; {@code clientIdentity}, {@code trust} and {@code target} are required. */
    public static final class Builder {

        private Path clientCertPem;
        private Path clientKeyPem;
        private Path trustedServerCertPem;
        private String target;
        private Duration retryBaseDelay = Duration.ofSeconds(1);
        private boolean retryClientErrors;
        private int maxAttempts = 20;
        private int concurrency = 4;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** A copy, e.g. to build several senders that differ in target only. */
        public Builder copy() {
            Builder copy = new Builder();
            copy.clientCertPem = clientCertPem;
            copy.clientKeyPem = clientKeyPem;
            copy.trustedServerCertPem = trustedServerCertPem;
            copy.target = target;
            copy.retryBaseDelay = retryBaseDelay;
            copy.retryClientErrors = retryClientErrors;
            copy.maxAttempts = maxAttempts;
            copy.concurrency = concurrency;
            copy.requestTimeout = requestTimeout;
            return copy;
        }

        /** The client certificate (PEM) and PKCS#8 key presented in the TLS handshake, like STAR's {@code sys-org-star*.cer}. */
        public Builder clientIdentity(Path certPem, Path keyPem) {
            this.clientCertPem = Objects.requireNonNull(certPem, "certPem");
            this.clientKeyPem = Objects.requireNonNull(keyPem, "keyPem");
            return this;
        }

        /** The receiver's server certificate, or the CA certificate(s) that issued it (PEM). */
        public Builder trust(Path serverCertPem) {
            this.trustedServerCertPem = Objects.requireNonNull(serverCertPem, "serverCertPem");
            return this;
        }

        /** The receiver's base URL ({@code https://...}), as registered at STAR. */
        public Builder target(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid target URL " + baseUrl, e);
            }
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the target must be an https:// URL with a host, not " + baseUrl);
            }
            this.target = baseUrl;
            return this;
        }

        /** Base of the retry delay (default 1 s, as STAR); scale it down in tests. */
        public Builder retryBaseDelay(Duration base) {
            Objects.requireNonNull(base, "base");
            if (base.isNegative()) {
                throw new IllegalArgumentException("retryBaseDelay must not be negative");
            }
            this.retryBaseDelay = base;
            return this;
        }

        /** Whether 4xx answers are retried like 5xx (default false: 4xx is permanent). */
        public Builder retryClientErrors(boolean retry) {
            this.retryClientErrors = retry;
            return this;
        }

        /** Attempts per message before giving up (default 20; STAR itself keeps trying). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Requests in flight at most, across citizens (default 4). */
        public Builder concurrency(int concurrency) {
            this.concurrency = checkConcurrency(concurrency);
            return this;
        }

        /** Connect timeout, and the longest wait for answer data (default 30 s); a timeout counts as no answer. */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive");
            }
            this.requestTimeout = timeout;
            return this;
        }

        public StarWsbSender build() {
            if (clientCertPem == null) {
                throw new IllegalStateException("clientIdentity(certPem, keyPem) is required");
            }
            if (trustedServerCertPem == null) {
                throw new IllegalStateException("trust(serverCertPem) is required");
            }
            if (target == null) {
                throw new IllegalStateException("target(baseUrl) is required");
            }
            for (Path file : List.of(clientCertPem, clientKeyPem, trustedServerCertPem)) {
                if (!Files.isReadable(file)) {
                    throw new IllegalStateException("cannot read " + file);
                }
            }
            return new StarWsbSender(this);
        }
    }
}
