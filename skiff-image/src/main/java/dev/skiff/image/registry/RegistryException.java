package dev.skiff.image.registry;

import java.util.List;

/**
 * A registry answered with an error, or could not be reached ({@link #status()} 0). {@link #codes()} are the
 * distribution API's error codes from the response body ({@code BLOB_UNKNOWN}, {@code MANIFEST_UNKNOWN},
 * {@code NAME_UNKNOWN}, {@code UNAUTHORIZED}, {@code DIGEST_INVALID} ...), empty when the body had none.
 */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final List<String> codes;

    public RegistryException(String message, int status, List<String> codes, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.codes = List.copyOf(codes);
    }

    public RegistryException(String message, int status, List<String> codes) {
        this(message, status, codes, null);
    }

    /** The HTTP status, or 0 when there was no response (connection refused, timeout). */
    public int status() {
        return status;
    }

    public List<String> codes() {
        return codes;
    }

    /** Whether the registry could not be reached at all. */
    public boolean unreachable() {
        return status == 0;
    }
}
