package dev.skiff.apiserver.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed ServiceAccount token and when it stops being valid (a TokenRequest's {@code status}).
 * Immutable and thread-safe. {@link #toString()} never shows the token.
 *
 * @param token     the compact JWS ({@code header.payload.signature})
 * @param expiresAt its {@code exp}
 */
public record IssuedToken(String token, Instant expiresAt) {

    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The expiry only; the token is a credential. Thread-safe. */
    @Override
    public String toString() {
        return "IssuedToken[expiresAt=" + expiresAt + "]";
    }
}
