package dev.skiff.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory: resident set size (Linux) and Java heap in use after a full collection. */
final class ProcessMemory {

    /** What was measured; {@code rssMib} is -1 where /proc is not available. */
    record Snapshot(double rssMib, double heapUsedMib, double heapCommittedMib) {
    }

    private ProcessMemory() {
    }

    /** Collects garbage (twice, so finalizable and soft garbage goes too), then reads the figures. */
    static Snapshot afterGc() {
        System.gc();
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Snapshot(rssMib(), heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0);
    }

    /** VmRSS from /proc/self/status in MiB, or -1. */
    static double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
