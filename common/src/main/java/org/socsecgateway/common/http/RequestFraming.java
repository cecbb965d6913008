package org.socsecgateway.common.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.common.log.RateLimitedLog;
import org.socsecgateway.common.problem.ProblemType;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP/1.x message framing (RFC 9112 section 6), checked before any handler reads a body, on every route of the
 * service. Netty decides where a request ends; this guard makes sure that what it decided cannot be read two ways:
 * <ul>
 * <li>{@code Transfer-Encoding} other than exactly {@code chunked} (an unknown coding such as {@code xchunked}, a
 * coding before {@code chunked} such as {@code gzip, chunked}, {@code chunked} twice): 400 and the connection is
 * closed (section 6.3, item 4). Netty would either read no body at all and parse the body as the next request, or
 * strip {@code chunked} and hand over a body nobody can decode.</li>
 * <li>{@code Transfer-Encoding} together with a visible {@code Content-Length}, or in an HTTP/1.0 request: 400 and
 * close (section 6.1, 6.3 item 3).</li>
 * <li>{@code Transfer-Encoding: chunked}: served, and the connection is closed after the answer. Netty removes a
 * {@code Content-Length} sent alongside before anyone can see it, so a request that carried both cannot be told
 * apart, and for those the connection MUST be closed (section 6.3 item 3): a second request hidden in the body for
 * a front proxy that counted bytes is never read.</li>
 * </ul>
 * A request that arrives on a connection marked for closing (pipelined behind one of the above) is not served: the
 * connection is closed without an answer. Duplicate or malformed {@code Content-Length}, whitespace before a colon
 * and control characters in fields are refused by Netty's decoder itself (400, connection closed); obs-fold is
 * replaced by a space, as section 5.2 allows. HTTP/2 carries its own framing and is not concerned.
 * <p>
 * For both HTTP/1.1 and HTTP/2: a second {@code Host} (RFC 9112 section 3.2) or {@code Authorization} field is
 * refused with 400 (for HTTP/1.1 the connection is closed), before any authentication reads one of them.
 */
@ApplicationScoped
public class RequestFraming {

    /** Before every other handler: nothing may read a body whose framing is not trusted. */
    public static final int ORDER = -5000;

    private static final Logger LOG = Logger.getLogger(RequestFraming.class);
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, Duration.ofSeconds(10), 8);
    /** Fields a request may carry at most once; a second one is refused whatever its value. */
    static final List<String> SINGLETON_FIELDS = List.of("Host", "Authorization");
    /** How long, and for how many body bytes, a refused request's body is read and dropped before closing. */
    static final Duration LINGER = Duration.ofSeconds(2);
    static final long LINGER_BYTES = 4L * 1024 * 1024;
    private static final Set<HttpConnection> CLOSING = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(RequestFraming::check);
    }

    static void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (!http2 && CLOSING.contains(request.connection())) {
            REFUSALS.warnf("pipelined", "Dropped a request that followed one after which the connection must close");
            request.connection().close();
            return;
        }
        String repeated = repeatedSingletonField(request.headers());
        if (repeated != null) {
            REFUSALS.warnf("repeated_field", "Refused a request with more than one %s field; the connection is closed (HTTP/1.1)", repeated);
            EarlyRefusal.send(ctx, ProblemType.BAD_REQUEST, "A request may carry only one " + repeated + " field");
            return;
        }
        if (http2) {
            ctx.next();
            return;
        }
        List<String> transferEncodings = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (transferEncodings.isEmpty()) {
            ctx.next();
            return;
        }
        String refusal = refusal(request.version(), transferEncodings, request.headers().contains(HttpHeaders.CONTENT_LENGTH));
        if (refusal != null) {
            REFUSALS.warnf(refusal, "Refused a request whose framing cannot be trusted (%s); the connection is closed", refusal);
            EarlyRefusal.send(ctx, ProblemType.BAD_REQUEST, detail(refusal));
            return;
        }
        closeAfterResponse(ctx);
        ctx.next();
    }

    /**
     * The first field of {@link #SINGLETON_FIELDS} that occurs more than once, or {@code null}. Two {@code Host}
     * fields MUST be refused with 400 (RFC 9112 section 3.2); two {@code Authorization} fields are ambiguous (which
     * credentials count depends on who reads them), so they are refused too.
     */
    static String repeatedSingletonField(MultiMap headers) {
        for (String name : SINGLETON_FIELDS) {
            if (headers.getAll(name).size() > 1) {
                return name;
            }
        }
        return null;
    }

    /**
     * Why a request with these {@code Transfer-Encoding} field values must be refused, or {@code null} when it is
     * exactly {@code chunked}: {@code transfer_encoding_http10}, {@code transfer_encoding_with_content_length} or
     * {@code transfer_coding}.
     */
    static String refusal(HttpVersion version, List<String> transferEncodings, boolean contentLength) {
        if (version == HttpVersion.HTTP_1_0) {
            return "transfer_encoding_http10";
        }
        if (contentLength) {
            return "transfer_encoding_with_content_length";
        }
        List<String> codings = new ArrayList<>();
        for (String value : transferEncodings) {
            for (String coding : value.split(",", -1)) {
                codings.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        return codings.equals(List.of("chunked")) ? null : "transfer_coding";
    }

    private static String detail(String refusal) {
        return switch (refusal) {
            case "transfer_encoding_http10" -> "Transfer-Encoding is not defined for HTTP/1.0 requests";
            case "transfer_encoding_with_content_length" -> "A request may not carry both Transfer-Encoding and Content-Length";
            default -> "The only transfer coding accepted is 'chunked', alone";
        };
    }

    /**
     * Closes the connection once the answer to this HTTP/1.x request has been written (a {@code Connection: close}
     * header alone does not make Vert.x close it), and drops any request that was pipelined behind it. For
     * refusals that leave a request body unread, and for requests whose framing is in doubt. No effect on HTTP/2.
     */
    public static void closeAfterResponse(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() == HttpVersion.HTTP_2) {
            return;
        }
        HttpConnection connection = request.connection();
        CLOSING.add(connection); // before the answer ends: Vert.x starts a pipelined request from within end()
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.addEndHandler(ended -> {
            if (ended.failed() || request.isEnded()) {
                connection.close(); // after the answer's bytes, whatever happened to it
            } else {
                lingerThenClose(ctx, request, connection);
            }
        });
    }

    /**
     * Lingering close (RFC 9112 section 9.6): closing while the client is still sending its body makes the kernel
     * answer the unread bytes with a reset, which can destroy the answer before the client has read it. So what
     * follows is read and discarded until the body ends, {@link #LINGER_BYTES} have come or {@link #LINGER} has
     * passed, and only then is the connection closed.
     */
    private static void lingerThenClose(RoutingContext ctx, HttpServerRequest request, HttpConnection connection) {
        long timer = ctx.vertx().setTimer(LINGER.toMillis(), fired -> connection.close());
        Runnable close = () -> {
            ctx.vertx().cancelTimer(timer);
            connection.close();
        };
        long[] discarded = { 0 };
        try {
            request.exceptionHandler(failure -> close.run());
            request.endHandler(done -> close.run());
            request.handler(chunk -> {
                discarded[0] += chunk.length();
                if (discarded[0] > LINGER_BYTES) {
                    close.run();
                }
            });
            request.resume();
        } catch (IllegalStateException alreadyRead) {
            close.run();
        }
    }
}
