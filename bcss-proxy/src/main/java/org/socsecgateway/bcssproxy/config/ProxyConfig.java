package org.socsecgateway.bcssproxy.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.socsecgateway.common.bcss.BcssEnvironment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything that differs between deployments of the BCSS proxy; environments differ only by these values.
 */
@ConfigMapping(prefix = "proxy")
public interface ProxyConfig {

    /** BCSS environment whose REST hosts are used by default: test, acpt or prod. */
    BcssEnvironment environment();

    /** extranet (default; port 4543) or internet. */
    @WithDefault("extranet")
    BcssEnvironment.Channel channel();

    /** The allow-list: only these APIs can be called, each with its scopes and limits. Key = API name in the path. */
    @NotEmpty
    Map<String, Api> apis();

    /** Internal callers and the APIs each may call. Nobody may call anything by default. */
    List<Caller> callers();

    Gateway gateway();

    Broker broker();

    Breaker breaker();

    Connectivity connectivity();

    interface Api {
        /** Base URL of the API; defaults to the environment's REST host for the channel plus {@code /<name>}. */
        Optional<URI> baseUrl();

        /** Scopes of the access token used for this API. */
        @NotEmpty
        Set<String> scopes();

        /**
         * Time BCSS has to start answering: from when a connection is obtained (for a streamed upload, from the end of
         * the upload) to the answer's status line and headers; the answer's body is not bounded by it. Also how long a
         * caller's upload may send nothing.
         */
        @WithDefault("30s")
        Duration timeout();

        /**
         * Calls in flight to this API at most (from admission to the last byte of the answer); more wait in the
         * queue. Sized by Little's law: expected calls per second times BCSS latency, with room for bursts (README).
         */
        @WithDefault("64")
        @Min(1)
        @Max(10_000)
        int maxConcurrent();

        /** Calls that may wait for a place when {@code max-concurrent} are in flight; more get 503 at once. */
        @WithDefault("64")
        @Min(1)
        @Max(10_000)
        int maxQueued();

        /** How long a call waits in the queue at most before it is answered 503 with Retry-After. */
        @WithDefault("1s")
        Duration maxQueueWait();

        /** Path of the API's health resource, relative to the base URL. */
        @WithDefault("health")
        String healthPath();
    }

    interface Caller {
        /** Bearer-token subject, e.g. {@code system:serviceaccount:apps:payroll}. */
        @NotBlank
        String subject();

        /** Names of the APIs (keys of {@code proxy.apis}) this caller may call. */
        Set<String> apis();
    }

    interface Gateway {
        /** Quarkus TLS configuration ({@code quarkus.tls.<name>.*}) for the BCSS gateway: trust store and the client key store (mutual TLS). */
        @WithDefault("bcss-gateway")
        String tlsConfigurationName();

        @WithDefault("5s")
        Duration connectTimeout();

        /** Bodies up to this size are buffered so the call can be replayed once after a token refusal; larger ones stream. */
        @WithDefault("64K")
        io.quarkus.runtime.configuration.MemorySize replayBuffer();

        /** Connections kept per host. */
        @WithDefault("64")
        int maxConnectionsPerHost();

        /**
         * TLS implementation towards BCSS: {@code openssl} = BoringSSL through netty-tcnative when its native library
         * loads (Linux x86-64), otherwise the JDK's; {@code jdk} = always the JDK's. Same protocols, trust, client
         * certificate and host name verification either way; OpenSSL costs less CPU per call.
         */
        @WithDefault("openssl")
        TlsEngine tlsEngine();

        /** See {@link #tlsEngine()}. */
        enum TlsEngine {
            OPENSSL,
            JDK
        }
    }

    interface Broker {
        /** Base URL of the token broker, e.g. {@code http://token-broker:8081}. */
        URI url();

        /** File holding this proxy's own caller token for the broker (a projected ServiceAccount token); re-read when it changes. */
        Path tokenFile();

        @WithDefault("5s")
        Duration timeout();

        /** A broker token is reused until this long before it expires. */
        @WithDefault("30s")
        Duration reuseMargin();
    }

    interface Connectivity {
        /**
         * Subjects that may run {@code GET /v1/connectivity} (it opens connections to BCSS and gets real tokens),
         * e.g. {@code system:serviceaccount:socsec:operator}. Nobody by default.
         */
        Optional<Set<String>> operators();
    }

    interface Breaker {
        /** Consecutive failures (5xx, connection failure, timeout, broken answer) that open an API's circuit. */
        @WithDefault("5")
        @Min(1)
        int failureThreshold();

        /** How long an open circuit refuses calls before one trial call is let through. */
        @WithDefault("30s")
        Duration openFor();
    }
}
