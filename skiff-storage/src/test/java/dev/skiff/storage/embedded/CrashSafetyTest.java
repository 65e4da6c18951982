package dev.skiff.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.ListResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child process with SIGKILL at random moments, over and over, and checks after each kill that the
 * store holds every acknowledged write, nothing torn or half-applied, and that revisions only ever grow.
 */
class CrashSafetyTest {

    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path store = dir.resolve("store");
        long lastRevision = 0;
        int totalAcked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 20 + random.nextInt(3000);
            Child child = Child.start(store, "g" + round, 1 + random.nextInt(16));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> child.acks() >= killAfter || !child.alive());
                assertThat(child.alive()).as("writer died by itself (seed %d): %s", seed, child.lines).isTrue();
            } finally {
                child.kill();
            }
            assertThat(child.readyRevision()).as("revisions only grow (seed %d)", seed)
                    .isGreaterThanOrEqualTo(lastRevision);
            lastRevision = verify(store, child, seed);
            totalAcked += child.acks();
        }
        assertThat(totalAcked).isGreaterThan(ROUNDS * 20);
    }

    /** Checks the store after a kill; returns its revision. */
    private static long verify(Path dir, Child child, long seed) {
        try (EmbeddedBackend store = EmbeddedBackend.open(dir)) {
            long current = store.currentRevision();
            long previousAck = child.readyRevision();
            for (String line : child.lines) {
                String[] parts = line.split(" ");
                if (parts[0].equals("READY")) {
                    continue;
                }
                String key = parts[1];
                long revision = Long.parseLong(parts[2]);
                assertThat(revision).as("acknowledged revisions grow (seed %d)", seed).isGreaterThan(previousAck);
                assertThat(revision).isLessThanOrEqualTo(current);
                KeyValue kv = store.get(key).kv();
                assertThat(kv).as("acknowledged %s is present (seed %d)", line, seed).isNotNull();
                if (parts[0].equals("ACK")) {
                    assertThat(kv.modRevision()).isEqualTo(revision);
                } else {
                    // A later CAS may have committed without being acknowledged before the kill.
                    assertThat(kv.modRevision()).isGreaterThanOrEqualTo(revision);
                    assertThat(CrashWriter.check(key, kv.value())).isGreaterThanOrEqualTo(Long.parseLong(parts[3]));
                }
            }
            // Nothing torn: every stored value is whole, and history agrees with the latest view.
            ListResult all = store.list(KeyRange.prefix("/crash/"));
            Map<String, KeyValue> byKey = new HashMap<>();
            for (KeyValue kv : all.items()) {
                assertThat(CrashWriter.check(kv.key(), kv.value())).as("whole value for %s", kv.key())
                        .isGreaterThanOrEqualTo(0);
                assertThat(kv.modRevision()).isLessThanOrEqualTo(current);
                assertThat(store.get(kv.key(), kv.modRevision()).kv()).isEqualTo(kv);
                byKey.put(kv.key(), kv);
            }
            assertThat(store.list(KeyRange.prefix("/crash/"), current, 0).items()).hasSameSizeAs(all.items());
            assertThat(byKey.size()).isEqualTo(all.items().size());
            return current;
        }
    }

    /** The writer child process and what it printed. */
    private static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread pump;

        private Child(Process process) {
            this.process = process;
            this.pump = Thread.ofPlatform().daemon(true).start(this::pump);
        }

        static Child start(Path store, String generation, int threads) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                    store.toString(), generation, Integer.toString(threads)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            return new Child(builder.start());
        }

        /** Keeps only lines that ended with a newline: a line cut by the kill was never acknowledged. */
        private void pump() {
            try (var in = process.getInputStream()) {
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            } catch (java.io.IOException ignored) {
                // The process was killed: whatever ended with a newline is in `lines`.
            }
        }

        int acks() {
            return (int) lines.stream().filter(l -> !l.startsWith("READY")).count();
        }

        long readyRevision() {
            return lines.stream().filter(l -> l.startsWith("READY")).findFirst()
                    .map(l -> Long.parseLong(l.substring(6))).orElse(0L);
        }

        boolean alive() {
            return process.isAlive();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            pump.join(10_000);
        }
    }
}
