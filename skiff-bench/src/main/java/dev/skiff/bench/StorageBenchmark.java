package dev.skiff.bench;

import dev.skiff.storage.Backend;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.embedded.EmbeddedBackend;
import dev.skiff.storage.etcd.EtcdBackend;
import dev.skiff.storage.etcd.LocalEtcd;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code skiff bench storage}: the embedded engine, the etcd engine and raw etcd under the same Kubernetes-shaped
 * load, in one run.
 *
 * <ul>
 *   <li><b>Writes</b>: 1, 16 and 256 concurrent writers creating distinct keys with 1 KiB values; writes/s and
 *       per-create p50/p99 latency. Raw etcd gets the create transaction kube-apiserver sends, through jetcd, with no
 *       Skiff code: it is the peer to beat.</li>
 *   <li><b>List</b>: 100,000 keys of 1 KiB loaded, then the whole prefix listed; best of a few runs.</li>
 *   <li><b>Watch</b>: 100 watches on one prefix, a writer at a steady pace, delivery latency over every delivery.</li>
 * </ul>
 *
 * <p>It starts its own etcd (in a temporary directory under the work directory) and removes it, and the embedded
 * store's data, whatever happens. The last line printed is the machine-readable {@code RESULT} line; the writes/s
 * figures in it are those at the highest writer count.
 */
public final class StorageBenchmark {

    static final int VALUE_BYTES = 1024;
    /** The etcd engine's key prefix in the benchmark's etcd. */
    private static final String ETCD_PREFIX = "/skiff-bench";

    /**
     * What to run.
     *
     * @param name         shown in the header ("quick", "full")
     * @param writerCounts writer counts to measure, ascending; the RESULT line uses the last
     * @param phase        how long each write measurement runs
     * @param warmup       writes run per engine before measuring, to warm the JIT and the engine up
     * @param listKeys     keys loaded for the list measurement
     * @param listRuns     lists timed; the best counts
     * @param watchers     watches on the watched prefix
     * @param watchEvents  writes the watches receive
     * @param watchRate    writes per second during the watch measurement
     * @param watchEtcd     whether to measure watch fan-out on the etcd engine too (one etcd watch per SPI watch:
     *                      slow, and not how an API server uses storage, so only the full run does)
     */
    public record Config(String name, List<Integer> writerCounts, Duration phase, Duration warmup, int listKeys,
                         int listRuns, int watchers, int watchEvents, int watchRate, boolean watchEtcd) {
        public Config {
            writerCounts = List.copyOf(writerCounts);
            if (writerCounts.isEmpty()) {
                throw new IllegalArgumentException("at least one writer count is needed");
            }
        }

        /** Under a minute, even on a busy two-core machine. */
        public static Config quick() {
            return new Config("quick", List.of(1, 16, 256), Duration.ofMillis(1500), Duration.ofMillis(500),
                    100_000, 2, 100, 1_000, 500, false);
        }

        /** A few minutes. */
        public static Config full() {
            return new Config("full", List.of(1, 16, 256), Duration.ofSeconds(10), Duration.ofSeconds(3), 100_000,
                    5, 100, 5_000, 1_000, true);
        }
    }

    private final Config config;
    private final PrintStream out;
    private final byte[] value;
    private final long started = System.nanoTime();

    private StorageBenchmark(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
        // Random bytes: a compressing engine must not look better than it would on real objects.
        this.value = new byte[VALUE_BYTES];
        new Random(42).nextBytes(value);
    }

    /**
     * Runs the storage benchmark, printing a table and, last, the RESULT line to {@code out}.
     *
     * @param quick   a short run (under a minute) instead of the full one (a few minutes)
     * @param workDir where the engines keep their data meanwhile; everything created there is removed afterwards
     * @return 0 on success, 1 if the benchmark failed (the reason is printed)
     */
    public static int run(boolean quick, Path workDir, PrintStream out) {
        return run(quick ? Config.quick() : Config.full(), workDir, out);
    }

    /** Runs the benchmark with an explicit configuration. */
    public static int run(Config config, Path workDir, PrintStream out) {
        return ScratchRun.run("storage", workDir, out, dir -> new StorageBenchmark(config, out).runIn(dir));
    }

    /** {@code StorageBenchmark [--quick] [work-dir]}, for running (and profiling) without the CLI. */
    public static void main(String[] args) throws IOException {
        boolean quick = List.of(args).contains("--quick");
        Path workDir = Stream.of(args).filter(a -> !a.startsWith("--")).findFirst().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir")));
        System.exit(run(quick, workDir, System.out));
    }

    private record ListFigures(int keys, double embeddedMillis, double etcdEngineMillis, double rawEtcdMillis) {
    }

    private record Row(String engine, WriteLoad.Figures figures) {
    }

    private void runIn(Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        ListFigures list;
        WatchLatency.Figures embeddedWatch;
        WatchLatency.Figures etcdWatch;
        try (LocalEtcd etcd = LocalEtcd.startTemporary(dir)) {
            header(etcd);
            try (EmbeddedBackend embedded = EmbeddedBackend.open(dir.resolve("embedded"));
                    EtcdBackend etcdEngine = EtcdBackend.connect(etcd.endpoints(), ETCD_PREFIX);
                    RawEtcd raw = new RawEtcd(etcd.endpoints())) {
                writes(rows, "embedded", CreateTarget.of(embedded), "/writes/");
                // The etcd engine and raw etcd share one etcd whose database grows as it goes: alternate them
                // so neither always meets the larger database.
                warm("etcd engine", CreateTarget.of(etcdEngine), "/warm/");
                warm("raw etcd", raw, "/raw-warm/");
                for (int writers : config.writerCounts()) {
                    rows.add(new Row("raw etcd", measure(raw, writers, "/raw-writes/" + writers + "/")));
                    rows.add(new Row("etcd engine",
                            measure(CreateTarget.of(etcdEngine), writers, "/writes/" + writers + "/")));
                }
                printWrites(rows);
                progress("writes done");
                list = lists(embedded, etcdEngine, raw);
                embeddedWatch = watch("embedded", embedded);
                etcdWatch = config.watchEtcd() ? watch("etcd engine", etcdEngine) : null;
            }
        }
        progress("done");
        printResult(rows, list, embeddedWatch, etcdWatch);
    }

    private void header(LocalEtcd etcd) {
        out.printf(Locale.ROOT, "Storage benchmark (%s): %d B values, %s per write phase; %s; Java %s, %d cores%n",
                config.name(), VALUE_BYTES, seconds(config.phase()), etcd.version(),
                Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
        out.flush();
    }

    private void writes(List<Row> rows, String engine, CreateTarget target, String prefix) throws Exception {
        warm(engine, target, "/warm/");
        for (int writers : config.writerCounts()) {
            rows.add(new Row(engine, measure(target, writers, prefix + writers + "/")));
        }
    }

    private void warm(String engine, CreateTarget target, String prefix) throws InterruptedException {
        if (!config.warmup().isZero()) {
            progress("warming up " + engine);
            WriteLoad.run(target, Math.min(16, config.writerCounts().getLast()), config.warmup(), prefix, value);
        }
    }

    private WriteLoad.Figures measure(CreateTarget target, int writers, String prefix) throws InterruptedException {
        return WriteLoad.run(target, writers, config.phase(), prefix, value);
    }

    private ListFigures lists(Backend embedded, Backend etcdEngine, RawEtcd raw) throws Exception {
        int keys = config.listKeys();
        int loaders = config.writerCounts().getLast();
        progress("loading " + keys + " keys into each engine");
        WriteLoad.load(CreateTarget.of(embedded), loaders, keys, "/list/", value);
        // Straight into etcd under the engine's prefix: the engine reads them as its own, and the load is quicker.
        raw.load(ETCD_PREFIX + "/list/", keys, value, 100, 16);
        progress("listing");
        double embeddedMillis = best(() -> embedded.list(KeyRange.prefix("/list/")).items().size(), keys);
        // The same keys, as etcd stores them for the engine, read with one plain range request.
        double rawMillis = best(() -> raw.list(ETCD_PREFIX + "/list/"), keys);
        double engineMillis = best(() -> etcdEngine.list(KeyRange.prefix("/list/")).items().size(), keys);
        return new ListFigures(keys, embeddedMillis, engineMillis, rawMillis);
    }

    /** The fastest of {@code listRuns} timed lists, in milliseconds; each must return {@code expected} keys. */
    private double best(Callable<Integer> list, int expected) throws Exception {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < config.listRuns(); run++) {
            long start = System.nanoTime();
            int size = list.call();
            double millis = (System.nanoTime() - start) / 1e6;
            if (size != expected) {
                throw new IllegalStateException("a list returned " + size + " keys instead of " + expected);
            }
            best = Math.min(best, millis);
        }
        return best;
    }

    private WatchLatency.Figures watch(String engine, Backend backend) throws InterruptedException {
        progress("watch fan-out on the " + engine);
        return WatchLatency.run(backend, config.watchers(), config.watchEvents(), config.watchRate(), "/watched/",
                VALUE_BYTES, Duration.ofSeconds(60));
    }

    private void printWrites(List<Row> rows) {
        out.println();
        out.printf(Locale.ROOT, "%-8s %-12s %12s %10s %10s%n", "writers", "engine", "writes/s", "p50 ms", "p99 ms");
        rows.stream()
                .sorted(Comparator.comparingInt((Row r) -> r.figures().writers()).thenComparing(r -> order(r.engine())))
                .forEach(r -> out.printf(Locale.ROOT, "%-8d %-12s %12.0f %10.2f %10.2f%n", r.figures().writers(),
                        r.engine(), r.figures().writesPerSecond(), r.figures().p50Millis(),
                        r.figures().p99Millis()));
        out.flush();
    }

    private static int order(String engine) {
        return switch (engine) {
            case "embedded" -> 0;
            case "etcd engine" -> 1;
            default -> 2;
        };
    }

    private void printResult(List<Row> rows, ListFigures list, WatchLatency.Figures embeddedWatch,
                             WatchLatency.Figures etcdWatch) {
        out.println();
        out.printf(Locale.ROOT, "list of %,d keys (best of %d): embedded %.0f ms, etcd engine %.0f ms,"
                        + " raw etcd (one range request) %.0f ms%n",
                list.keys(), config.listRuns(), list.embeddedMillis(), list.etcdEngineMillis(),
                list.rawEtcdMillis());
        printWatch("embedded", embeddedWatch);
        if (etcdWatch != null) {
            printWatch("etcd engine", etcdWatch);
        }
        int top = config.writerCounts().getLast();
        double embedded = perSecond(rows, "embedded", top);
        double engine = perSecond(rows, "etcd engine", top);
        double raw = perSecond(rows, "raw etcd", top);
        out.println();
        out.println(resultLine(embedded, engine, raw, list.embeddedMillis(), embeddedWatch.deliveryP99Millis()));
        out.flush();
    }

    private void printWatch(String engine, WatchLatency.Figures f) {
        out.printf(Locale.ROOT, "watch, %s: %d watchers x %d events at %d/s:%n"
                        + "  delivery after the write is acknowledged: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                        + "  end to end (write issued -> event received): p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                        + " (the writes' own commit: p99 %.2f ms)%n",
                engine, f.watchers(), f.events(), f.ratePerSecond(), f.deliveryP50Millis(), f.deliveryP99Millis(),
                f.deliveryMaxMillis(), f.p50Millis(), f.p99Millis(), f.maxMillis(), f.commitP99Millis());
    }

    static String resultLine(double embedded, double engine, double raw, double listMillis, double watchP99) {
        return String.format(Locale.ROOT, "RESULT embedded_writes_per_s=%.0f etcd_engine_writes_per_s=%.0f"
                        + " raw_etcd_writes_per_s=%.0f embedded_vs_raw_etcd=%.2f etcd_engine_vs_raw_etcd=%.2f"
                        + " list_100k_ms=%.0f watch_p99_ms=%.2f",
                embedded, engine, raw, embedded / raw, engine / raw, listMillis, watchP99);
    }

    private static double perSecond(List<Row> rows, String engine, int writers) {
        return rows.stream()
                .filter(r -> r.engine().equals(engine) && r.figures().writers() == writers)
                .findFirst().orElseThrow().figures().writesPerSecond();
    }

    private void progress(String what) {
        out.printf(Locale.ROOT, "... %5.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
        out.flush();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
