package org.socsecgateway.simulators;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Builds client assertions as a BCSS client would, with knobs to break each rule. */
public final class TestAssertion {

    private PrivateKey key;
    private String alg = AlgorithmIdentifiers.RSA_USING_SHA256;
    private String iss;
    private String sub;
    private List<String> aud;
    private Instant iat = Instant.now();
    private Duration lifetime = Duration.ofMinutes(5);
    private String jti = UUID.randomUUID().toString();
    private String x5tS256;

    private TestAssertion(String clientId, String audience, PrivateKey key) {
        this.iss = clientId;
        this.sub = clientId;
        this.aud = List.of(audience);
        this.key = key;
    }

    public static TestAssertion of(String clientId, String audience, PrivateKey key) {
        return new TestAssertion(clientId, audience, key);
    }

    public TestAssertion alg(String alg) {
        this.alg = alg;
        return this;
    }

    public TestAssertion iss(String iss) {
        this.iss = iss;
        return this;
    }

    public TestAssertion sub(String sub) {
        this.sub = sub;
        return this;
    }

    public TestAssertion aud(String... aud) {
        this.aud = List.of(aud);
        return this;
    }

    public TestAssertion key(PrivateKey key) {
        this.key = key;
        return this;
    }

    public TestAssertion issuedAt(Instant iat) {
        this.iat = iat;
        return this;
    }

    public TestAssertion lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    public TestAssertion jti(String jti) {
        this.jti = jti;
        return this;
    }

    public TestAssertion x5tS256(String thumbprint) {
        this.x5tS256 = thumbprint;
        return this;
    }

    public String sign() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(iss);
        claims.setSubject(sub);
        if (aud.size() == 1) {
            claims.setAudience(aud.get(0));
        } else {
            claims.setAudience(aud);
        }
        claims.setIssuedAt(NumericDate.fromSeconds(iat.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(iat.plus(lifetime).getEpochSecond()));
        if (jti != null) {
            claims.setJwtId(jti);
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(alg);
        if (x5tS256 != null) {
            jws.setX509CertSha256ThumbprintHeaderValue(x5tS256);
        }
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS); // tests also forge "none" and HS256
        switch (alg) {
            case AlgorithmIdentifiers.NONE -> { }
            case AlgorithmIdentifiers.HMAC_SHA256 -> jws.setKey(new HmacKey(new byte[32]));
            default -> jws.setKey(key);
        }
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PKCS#8 PEM RSA key, as LocalPki writes them. */
    public static PrivateKey readKey(Path pem) throws IOException {
        String base64 = Files.readString(pem)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IOException("not a PKCS#8 RSA key: " + pem, e);
        }
    }
}
