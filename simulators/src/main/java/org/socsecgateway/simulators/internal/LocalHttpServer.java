package org.socsecgateway.simulators.internal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One Vert.x HTTP(S) server with its own small Vertx instance, started and stopped from plain (test) threads.
 * Each simulator owns one, so closing a simulator never disturbs another one or the code under test.
 * It can stop listening and listen again on the same port, to simulate a partner that refuses connections.
 */
public final class LocalHttpServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;
    private static final System.Logger LOG = System.getLogger(LocalHttpServer.class.getName());

    private final String name;
    private final HttpServerOptions options;
    private final Function<Vertx, Router> routes;

    private Vertx vertx;
    private Router router;
    private HttpServer server;
    private volatile int boundPort = -1; // read without the lock: request handlers ask for it

    /**
     * @param name    used in log lines only
     * @param options host, port and TLS settings; the port may be 0 (random free port)
     * @param routes  builds the router once the Vertx instance exists
     */
    public LocalHttpServer(String name, HttpServerOptions options, Function<Vertx, Router> routes) {
        this.name = name;
        this.options = new HttpServerOptions(options);
        this.routes = routes;
    }

    /** Listens and blocks until the port is bound. */
    public synchronized LocalHttpServer start() {
        if (vertx != null) {
            throw new IllegalStateException(name + " already started");
        }
        // one event loop is plenty for a simulator; no file cache directory in the working directory
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        try {
            router = routes.apply(vertx);
            listen(options.getPort());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        boundPort = server.actualPort();
        LOG.log(System.Logger.Level.INFO, "{0} listening on {1}:{2,number,#}", name, options.getHost(), boundPort);
        return this;
    }

    public int port() {
        if (boundPort < 0) {
            throw new IllegalStateException(name + " not started");
        }
        return boundPort;
    }

    /** Closes the listening socket (and open connections): new TCP connects are refused. */
    public synchronized void stopListening() {
        port(); // fails when never started
        if (server != null) {
            await(server.close());
            server = null;
            LOG.log(System.Logger.Level.INFO, "{0} stopped listening on port {1,number,#}", name, boundPort);
        }
    }

    /** Listens again on the port bound by {@link #start()}. */
    public synchronized void listenAgain() {
        int port = port();
        if (server == null) {
            listen(port);
            LOG.log(System.Logger.Level.INFO, "{0} listening again on port {1,number,#}", name, port);
        }
    }

    @Override
    public synchronized void close() {
        if (vertx != null) {
            await(vertx.close()); // also closes the server
            vertx = null;
            server = null;
        }
    }

    private void listen(int port) {
        HttpServer candidate = vertx.createHttpServer(new HttpServerOptions(options).setPort(port))
                .requestHandler(router);
        server = await(candidate.listen());
    }

    private <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": no answer from Vert.x within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
