package dev.skiff.storage.embedded;

import dev.skiff.storage.WriteResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The child process of {@link CrashSafetyTest}: opens the store and writes as fast as it can from several threads
 * until it is killed, printing one line per acknowledged write. Each value carries its own checksum so a torn or
 * half-applied write would be detected.
 *
 * <p>Lines: {@code READY <revision>}, {@code ACK <key> <revision>} for creates, {@code CAS <key> <revision> <n>}
 * for compare-and-swap updates of a per-thread counter.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String generation = args[1];
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        EmbeddedBackend store = EmbeddedBackend.open(dir);
        synchronized (out) {
            out.println("READY " + store.currentRevision());
            out.flush();
        }
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> write(store, out, generation, thread)));
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    private static void write(EmbeddedBackend store, PrintStream out, String generation, int thread) {
        String counterKey = "/crash/counter/" + generation + "/" + thread;
        WriteResult.Committed counter = (WriteResult.Committed) store.create(counterKey, value(counterKey, 0));
        long counterRevision = counter.revision();
        for (long seq = 1; ; seq++) {
            String key = "/crash/data/" + generation + "/" + thread + "/" + seq;
            WriteResult result = store.create(key, value(key, seq));
            if (result instanceof WriteResult.Committed committed) {
                report(out, "ACK " + key + " " + committed.revision());
            }
            if (seq % 4 == 0) {
                WriteResult cas = store.update(counterKey, value(counterKey, seq), counterRevision);
                if (cas instanceof WriteResult.Committed committed) {
                    counterRevision = committed.revision();
                    report(out, "CAS " + counterKey + " " + committed.revision() + " " + seq);
                }
            }
        }
    }

    private static void report(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** A value of a few hundred bytes: {@code key|n|padding|crc}, checkable without knowing what was written. */
    static byte[] value(String key, long n) {
        String body = key + "|" + n + "|" + "x".repeat((int) (200 + (n % 300)));
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return (body + "|" + Long.toHexString(crc.getValue())).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code bytes} is a whole value written for {@code key}; returns its counter or -1 when corrupt. */
    static long check(String key, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int lastBar = text.lastIndexOf('|');
        if (lastBar < 0) {
            return -1;
        }
        String body = text.substring(0, lastBar);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        if (!Long.toHexString(crc.getValue()).equals(text.substring(lastBar + 1))) {
            return -1;
        }
        String[] parts = body.split("\\|");
        if (parts.length != 3 || !parts[0].equals(key)) {
            return -1;
        }
        return Long.parseLong(parts[1]);
    }
}
