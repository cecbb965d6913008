package org.socsecgateway.simulators.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the gateway simulator saw it, recorded once it was answered.
 *
 * @param method    the HTTP method
 * @param path      the request path, without the query
 * @param headers   the request headers, names in lower case, values in arrival order (Authorization included:
 *                  this is a test double)
 * @param bodyBytes the request body bytes read
 * @param status    the answer's status, 0 when the connection was closed before a status line was sent
 *                  (an injected dropped connection, or a client that went away)
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, long bodyBytes,
                              int status) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, the name in any case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
