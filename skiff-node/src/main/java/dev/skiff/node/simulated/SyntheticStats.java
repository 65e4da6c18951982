package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStats;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceStats;
import dev.skiff.node.runtime.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plausible resource usage for simulated containers, derived from what they request so that autoscaling and
 * billing see numbers of the right size: CPU between 20 % and 60 % of the request (10m when none), varying slowly
 * and differently per container; memory about 60 % of the request (32 MiB when none); a writable layer growing from
 * 4 MiB, or the size {@link SimulatedStorage} reads from the pod's annotations. Deterministic for a given instant,
 * so tests can reason about it; no state is kept.
 */
final class SyntheticStats {

    private static final long MIB = 1L << 20;

    private SyntheticStats() {
    }

    static InstanceStats of(InstanceSpec spec, InstanceStatus status, Instant now, long defaultEphemeral) {
        List<ContainerStats> stats = new ArrayList<>();
        for (int i = 0; i < status.containers().size(); i++) {
            ContainerStatus c = status.containers().get(i);
            if (c.state() instanceof ContainerState.Running running) {
                stats.add(container(spec, spec.containers().get(i), running.startedAt(), now, defaultEphemeral));
            }
        }
        return new InstanceStats(status.id(), now, stats);
    }

    /** A writable layer growing from 4 MiB by 1 KiB a second since the container started. */
    static long layerBytes(Instant startedAt, Instant now) {
        return 4 * MIB + Math.max(0, Duration.between(startedAt, now).toSeconds()) * 1024;
    }

    private static ContainerStats container(InstanceSpec spec, ContainerSpec c, Instant startedAt, Instant now,
                                            long defaultEphemeral) {
        String seed = spec.id().value();
        long uptimeNanos = Math.max(0, Duration.between(startedAt, now).toNanos());
        long cpuRequest = c.resources().requests().cpuMillis() > 0 ? c.resources().requests().cpuMillis() : 10;
        // A slow wave per container (period ~ 5 minutes), phase-shifted by a hash of its identity.
        int hash = (seed + "/" + c.name()).hashCode();
        double phase = (hash & 0xffff) / 65536.0 * 2 * Math.PI;
        double wave = 0.5 + 0.5 * Math.sin(now.getEpochSecond() / 47.0 + phase);
        double fraction = 0.2 + 0.4 * wave;
        long nanoCores = (long) (cpuRequest * 1_000_000L * fraction);
        long coreNanos = (long) (cpuRequest * 1_000_000L * 0.4 * (uptimeNanos / 1e9));
        long memRequest = c.resources().requests().memoryBytes();
        long workingSet = memRequest > 0 ? (long) (memRequest * (0.55 + 0.1 * wave)) : 32 * MIB;
        long fsCapacity = c.resources().limits().ephemeralStorageBytes() > 0
                ? c.resources().limits().ephemeralStorageBytes() : defaultEphemeral;
        long annotated = SimulatedStorage.annotatedUsage(spec.annotations(), c.name());
        long fsUsed = annotated >= 0 ? annotated : Math.min(fsCapacity, layerBytes(startedAt, now));
        return new ContainerStats(c.name(), startedAt, new ContainerStats.Cpu(nanoCores, coreNanos),
                new ContainerStats.Memory(workingSet, workingSet + workingSet / 8),
                new ContainerStats.Filesystem(fsUsed, fsCapacity));
    }
}
