package dev.skiff.node.agent.volume;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * ServiceAccount tokens for projected volumes, bound to the pod (the TokenRequest API with a {@code boundObjectRef}
 * to the Pod). Implementations cache a token and request a new one once 80% of its life has passed, as the
 * kubelet's token manager does, so that rewriting a volume on every resync is cheap. Thread-safe; may block on the
 * API.
 */
public interface TokenSource {

    /**
     * A valid token for the pod's ServiceAccount.
     *
     * @param audience          the token's audience, or null for the API server's
     * @param expirationSeconds the requested lifetime
     * @throws TokenException when the API refuses (the caller names the volume)
     */
    String token(Pod pod, String audience, long expirationSeconds) throws TokenException;

    /** Forgets the tokens of a pod that is gone. */
    void forget(String podUid);

    /** The API refused a TokenRequest. */
    final class TokenException extends Exception {
        public TokenException(String message) {
            super(message);
        }
    }
}
