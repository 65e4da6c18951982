package dev.skiff.node.simulated;

import java.time.Duration;
import java.util.Objects;

/** What a simulated lifecycle stage does when its dice say it fails: exactly one of these. */
public sealed interface StageFailure {

    /**
     * The instance ends in Failed, like a provider that could not create it (virtual-kubelet's
     * {@code ProviderFailed}).
     */
    record Fail(String reason, String message) implements StageFailure {
        public Fail {
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }
    }

    /**
     * The containers wait with {@code waitingReason} (e.g. {@code ErrImagePull}) and the stage is tried again after
     * {@code backoff}, as the kubelet retries an image pull.
     */
    record Retry(String waitingReason, Duration backoff) implements StageFailure {
        public Retry {
            Objects.requireNonNull(waitingReason, "waitingReason");
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must not be negative");
            }
        }
    }
}
