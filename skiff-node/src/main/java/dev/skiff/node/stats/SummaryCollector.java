package dev.skiff.node.stats;

import dev.skiff.node.runtime.ContainerStats;
import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceStats;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the node's stats {@link Summary} from the runtime's per-container figures and the pods' storage, as the
 * kubelet's summary provider does: one entry per pod that has an instance, its running containers with CPU
 * (the rate computed from two samples, see {@link CpuRates}), memory, writable layer ({@code rootfs}) and logs, its
 * volumes and its {@code ephemeral-storage}; pod figures are sums over containers, and the node's (a virtual node
 * has no host) sums over pods. {@link #sample()} takes the CPU samples without building anything, so the node
 * agent's housekeeping keeps rates fresh between scrapes. Thread-safe; blocks on the runtime.
 */
public final class SummaryCollector {

    private final String nodeName;
    private final Supplier<? extends Collection<Pod>> pods;
    private final InstanceRuntime runtime;
    private final StorageMeter meter;
    private final Clock clock;
    private final Instant startTime;
    private final CpuRates rates = new CpuRates();

    /**
     * @param pods the pods bound to the node (the node agent's informer store)
     */
    public SummaryCollector(String nodeName, Supplier<? extends Collection<Pod>> pods, InstanceRuntime runtime,
                            StorageMeter meter, Clock clock) {
        this.nodeName = nodeName;
        this.pods = pods;
        this.runtime = runtime;
        this.meter = meter;
        this.clock = clock;
        this.startTime = clock.instant();
    }

    /** The Summary now. */
    public Summary summary() {
        List<Summary.Pod> entries = new ArrayList<>();
        for (Pod pod : List.copyOf(pods.get())) {
            podStats(pod).ifPresent(entries::add);
        }
        rates.forgetBefore(clock.instant());
        return new Summary(node(entries), entries);
    }

    /** Takes a CPU sample of every running container (the kubelet's housekeeping), so rates exist when asked. */
    public void sample() {
        for (Pod pod : List.copyOf(pods.get())) {
            String uid = pod.getMetadata().getUid();
            runtime.stats(InstanceId.of(uid)).ifPresent(stats -> stats.containers().forEach(c ->
                    rates.sample(key(uid, c), stats.timestamp(), c.cpu().usageCoreNanoSeconds())));
        }
        rates.forgetBefore(clock.instant());
    }

    private Optional<Summary.Pod> podStats(Pod pod) {
        String uid = pod.getMetadata().getUid();
        Optional<InstanceStats> found = runtime.stats(InstanceId.of(uid));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        InstanceStats stats = found.get();
        String time = time(stats.timestamp());
        Optional<PodStorage> storage = meter.measure(pod);
        long capacity = storage.map(PodStorage::capacityBytes).orElse(EphemeralCapacity.bytes(pod));
        List<Summary.Container> containers = new ArrayList<>();
        long nanoCores = 0;
        boolean allRates = true;
        long coreNanos = 0;
        long workingSet = 0;
        long usage = 0;
        long rss = 0;
        for (ContainerStats c : stats.containers()) {
            Long rate = rates.sample(key(uid, c), stats.timestamp(), c.cpu().usageCoreNanoSeconds());
            if (rate == null && c.cpu().usageNanoCores() > 0) {
                rate = c.cpu().usageNanoCores(); // the runtime's own rate until there are two samples here
            }
            allRates &= rate != null;
            nanoCores += rate == null ? 0 : rate;
            coreNanos += c.cpu().usageCoreNanoSeconds();
            workingSet += c.memory().workingSetBytes();
            usage += c.memory().usageBytes();
            rss += c.memory().rssBytes();
            Optional<EphemeralUsage.ContainerUsage> disk = storage.flatMap(s -> s.containers().container(c.name()));
            long layer = disk.map(EphemeralUsage.ContainerUsage::writableLayerBytes).orElse(c.rootfs().usedBytes());
            long logs = disk.map(EphemeralUsage.ContainerUsage::logsBytes).orElse(0L);
            containers.add(new Summary.Container(c.name(), c.startTime() == null ? null : time(c.startTime()),
                    new Summary.Cpu(time, rate, c.cpu().usageCoreNanoSeconds()),
                    new Summary.Memory(time, null, c.memory().usageBytes(), c.memory().workingSetBytes(),
                            c.memory().rssBytes(), null, null),
                    Summary.Fs.of(time, layer, capacity), Summary.Fs.of(time, logs, capacity)));
        }
        List<Summary.Volume> volumes = storage.map(s -> s.volumes().stream()
                .map(v -> new Summary.Volume(time, null, null, v.usedBytes(), null, null, null, v.name()))
                .toList()).orElse(List.of());
        long used = storage.map(PodStorage::totalBytes).orElse(0L);
        String start = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        return Optional.of(new Summary.Pod(
                new Summary.PodRef(pod.getMetadata().getName(), pod.getMetadata().getNamespace(), uid),
                start, containers,
                new Summary.Cpu(time, allRates && !containers.isEmpty() ? nanoCores : null, coreNanos),
                new Summary.Memory(time, null, usage, workingSet, rss, null, null),
                volumes, Summary.Fs.of(time, used, capacity)));
    }

    private Summary.Node node(List<Summary.Pod> entries) {
        String time = time(clock.instant());
        long nanoCores = 0;
        boolean allRates = true;
        long coreNanos = 0;
        long workingSet = 0;
        long usage = 0;
        long rss = 0;
        long used = 0;
        long capacity = 0;
        for (Summary.Pod p : entries) {
            allRates &= p.cpu().usageNanoCores() != null;
            nanoCores += p.cpu().usageNanoCores() == null ? 0 : p.cpu().usageNanoCores();
            coreNanos += p.cpu().usageCoreNanoSeconds();
            workingSet += p.memory().workingSetBytes();
            usage += p.memory().usageBytes();
            rss += p.memory().rssBytes();
            used += p.ephemeralStorage().usedBytes();
            capacity += p.ephemeralStorage().capacityBytes();
        }
        Summary.Fs fs = Summary.Fs.of(time, used, capacity);
        return new Summary.Node(nodeName, time(startTime),
                new Summary.Cpu(time, allRates ? nanoCores : null, coreNanos),
                new Summary.Memory(time, null, usage, workingSet, rss, null, null),
                fs, new Summary.Runtime(null, fs));
    }

    private static String key(String uid, ContainerStats c) {
        return uid + "/" + c.name() + "/" + c.startTime();
    }

    /** RFC 3339 at second precision, as {@code metav1.Time} marshals. */
    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
