package dev.skiff.control.controller.nodelifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node lifecycle controller judges nodes.
 *
 * @param gracePeriod   how long a node may go without renewing its Lease (or posting status) before it is marked
 *                      Unknown: upstream's {@code --node-monitor-grace-period}, 40 s in 1.32
 * @param monitorPeriod how often every node is checked: upstream's {@code --node-monitor-period}, 5 s
 */
public record NodeLifecycleConfig(Duration gracePeriod, Duration monitorPeriod) {

    public NodeLifecycleConfig {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(monitorPeriod, "monitorPeriod");
        if (gracePeriod.isNegative() || gracePeriod.isZero() || monitorPeriod.isNegative() || monitorPeriod.isZero()) {
            throw new IllegalArgumentException("gracePeriod and monitorPeriod must be positive");
        }
    }

    public static NodeLifecycleConfig defaults() {
        return new NodeLifecycleConfig(Duration.ofSeconds(40), Duration.ofSeconds(5));
    }

    public NodeLifecycleConfig withGracePeriod(Duration grace) {
        return new NodeLifecycleConfig(grace, monitorPeriod);
    }

    public NodeLifecycleConfig withMonitorPeriod(Duration period) {
        return new NodeLifecycleConfig(gracePeriod, period);
    }
}
