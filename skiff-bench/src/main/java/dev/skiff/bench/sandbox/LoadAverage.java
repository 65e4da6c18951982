package dev.skiff.bench.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1/5/15-minute load averages ({@code /proc/loadavg}), printed with each figure. */
final class LoadAverage {

    private LoadAverage() {
    }

    static String read() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
