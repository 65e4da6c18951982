package dev.skiff.apiserver.auth;

import java.util.Objects;

/**
 * A bearer token was not accepted; {@link #reason()} says why, the message says it in words (safe to log: it never
 * contains the token).
 */
public final class InvalidTokenException extends Exception {

    /** Why a token was not accepted. */
    public enum Reason {
        /** Not a compact JWS, or its claims are not JSON of the expected types. */
        MALFORMED,
        /** Issued by someone else: another authenticator (e.g. OIDC) may still accept it. */
        WRONG_ISSUER,
        /** Signed with an algorithm other than RS256 (including none). */
        UNSUPPORTED_ALGORITHM,
        /** The signature does not verify with the ServiceAccount public key. */
        BAD_SIGNATURE,
        /** None of its audiences is accepted here. */
        WRONG_AUDIENCE,
        /** Past its {@code exp}. */
        EXPIRED,
        /** Before its {@code nbf}. */
        NOT_YET_VALID,
        /** Signed and current, but without a consistent ServiceAccount identity. */
        INVALID_CLAIMS
    }

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the token was not accepted. Thread-safe. */
    public Reason reason() {
        return reason;
    }
}
