package org.socsecgateway.tokenbroker.service;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

import org.jboss.logging.Logger;
import org.socsecgateway.tokenbroker.client.UpstreamAnswerException;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the {@code expires_in} of a token response (RFC 6749 section 5.1, "the lifetime in seconds", RECOMMENDED)
 * into the lifetime the cache works with:
 * <ul>
 * <li>absent or {@code null}: the configured default lifetime;</li>
 * <li>a JSON number of any size or form ({@code 600}, {@code 6e2}, {@code 599.7}) or a string of digits (some
 * servers quote it): its whole seconds, compared exactly (no {@code long} overflow);</li>
 * <li>above the configured maximum: cut to the maximum (logged), so a mistaken answer cannot pin a token for ever;</li>
 * <li>below the configured minimum (zero, negative, a few seconds), or anything else (text, boolean, object):
 * unusable, {@link UpstreamAnswerException} saying why.</li>
 * </ul>
 */
final class TokenLifetime {

    private static final Logger LOG = Logger.getLogger(TokenLifetime.class);

    private TokenLifetime() {
    }

    static Duration of(JsonNode expiresIn, BrokerConfig.Token policy) {
        if (expiresIn == null || expiresIn.isNull() || expiresIn.isMissingNode()) {
            return policy.defaultLifetime();
        }
        BigDecimal seconds = seconds(expiresIn);
        BigDecimal max = BigDecimal.valueOf(policy.maxLifetime().toSeconds());
        BigDecimal min = BigDecimal.valueOf(policy.minLifetime().toSeconds());
        if (seconds.compareTo(min) < 0) {
            throw new UpstreamAnswerException("The token response's expires_in (" + shown(seconds)
                    + " s) is below the minimum usable lifetime of " + policy.minLifetime().toSeconds() + " s");
        }
        if (seconds.compareTo(max) > 0) {
            LOG.warnf("The token response's expires_in (%s s) is above broker.token.max-lifetime; the token is used for %s",
                    shown(seconds), policy.maxLifetime());
            return policy.maxLifetime();
        }
        // between min and max: small enough for a long, and whole seconds (rounding down never overstates validity)
        return Duration.ofSeconds(seconds.setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    private static BigDecimal seconds(JsonNode node) {
        if (node.isNumber()) {
            if (!node.isIntegralNumber() && !Double.isFinite(node.asDouble()) && !node.isBigDecimal()) {
                throw new UpstreamAnswerException("The token response's expires_in is not a finite number");
            }
            return node.decimalValue();
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            if (!text.isEmpty() && text.length() <= 1_000 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new BigDecimal(text);
            }
            throw new UpstreamAnswerException("The token response's expires_in is a string that is not a number of seconds");
        }
        throw new UpstreamAnswerException("The token response's expires_in is not a number (JSON " + node.getNodeType() + ")");
    }

    /** The value as a short plain text: {@code 1E+12}, not twelve digits of a hostile exponent. */
    private static String shown(BigDecimal seconds) {
        boolean unwieldy = seconds.precision() - seconds.scale() > 20 || seconds.scale() > 6;
        String text = unwieldy ? seconds.round(new MathContext(6)).toString() : seconds.stripTrailingZeros().toPlainString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
