package dev.skiff.node.simulated;

import java.time.Duration;
import java.util.Objects;

/**
 * One step a simulated instance goes through before its containers start, as data (kwok's "lifecycle stages"): the
 * instance stays Pending with {@code reason} for {@code delay} plus a random part of {@code jitter}, then moves on,
 * unless the stage fails (with probability {@code failureRate}), in which case {@code onFailure} says what happens.
 *
 * <p>Messages may contain {@code {images}}, replaced by the instance's images. Entering the stage records an event
 * {@code reason}/{@code message}; leaving it successfully records {@code doneReason}/{@code doneMessage} if set
 * (e.g. {@code Pulling} then {@code Pulled}, as the kubelet reports an image pull).
 */
public record Stage(String reason, String message, String doneReason, String doneMessage, Duration delay,
                    Duration jitter, double failureRate, StageFailure onFailure) {

    public Stage {
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
        delay = delay == null ? Duration.ZERO : delay;
        jitter = jitter == null ? Duration.ZERO : jitter;
        onFailure = onFailure == null ? new StageFailure.Fail("ProviderFailed", reason + " failed") : onFailure;
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("stage " + reason + ": delay and jitter must not be negative");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("stage " + reason + ": failure rate must be within 0..1");
        }
    }

    /** A stage that never fails and records only its entry. */
    public static Stage of(String reason, String message, Duration delay, Duration jitter) {
        return new Stage(reason, message, null, null, delay, jitter, 0, null);
    }

    public Stage withFailure(double rate, StageFailure failure) {
        return new Stage(reason, message, doneReason, doneMessage, delay, jitter, rate, failure);
    }

    public Stage withDone(String newDoneReason, String newDoneMessage) {
        return new Stage(reason, message, newDoneReason, newDoneMessage, delay, jitter, failureRate, onFailure);
    }

    public Stage withTiming(Duration newDelay, Duration newJitter) {
        return new Stage(reason, message, doneReason, doneMessage, newDelay, newJitter, failureRate, onFailure);
    }
}
