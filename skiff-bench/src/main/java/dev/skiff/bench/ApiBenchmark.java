package dev.skiff.bench;

import dev.skiff.storage.embedded.EmbeddedBackend;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code skiff bench api}: Skiff's API server under fabric8 clients, against two peers measured in the same run.
 *
 * <ul>
 *   <li><b>Creates</b> of ~2 KiB pods ({@link BenchPods}) by 16 and 64 concurrent clients, each a platform thread
 *       with its own fabric8 client (its own HTTP/2 connection over TLS); creates/s and per-create latency.</li>
 *   <li><b>Peers</b>: fabric8's mock API server in CRUD mode (in memory, no durability) under the same clients, and
 *       raw storage: the same pod JSON written straight into a second embedded store by the same number of
 *       writers (the ceiling: what the API server costs on top of its storage).</li>
 *   <li><b>GET</b> latency of existing pods; <b>LIST</b> (fabric8 {@code .list()}, unpaged, served by the watch
 *       cache) of one namespace holding {@code namespacePods} and of all {@code totalPods}; <b>watch</b> delivery
 *       latency with many watches ({@link ApiWatchLatency}); the process's <b>memory</b> with {@code totalPods}
 *       pods stored.</li>
 * </ul>
 *
 * <p>The server, its PKI, its store and the raw-storage peer live in a temporary directory under the work
 * directory, removed afterwards. Every pod created counts towards {@code totalPods}: the create phases stop early
 * rather than exceed it. The last line printed is the machine-readable {@code RESULT} line; its creates/s are those
 * at the highest client count, and its {@code list_50k_ms} is the list's API call latency as the Kubernetes SLO
 * defines it (request sent until the whole response has arrived); fabric8's decoding of the items into Pods comes on
 * top and is printed beside it.
 */
public final class ApiBenchmark {

    /** Namespaces: creates (and the top-up to the total), the namespace list, the watched pods. */
    private static final String CREATES = "bench";
    private static final String LISTED = "bench-list";
    private static final String WATCHED = "bench-watch";

    /**
     * What to run.
     *
     * @param name          shown in the header ("quick", "full")
     * @param clientCounts  concurrent clients per create phase, ascending; the RESULT line uses the last
     * @param phase         how long each create phase runs
     * @param warmup        creates run against each peer before measuring it (Skiff is warmed up by loading the
     *                      namespace list's pods)
     * @param getClients    concurrent clients reading pods
     * @param getPhase      how long the reads run
     * @param namespacePods pods in the namespace whose list is timed
     * @param totalPods     pods in the server at the end: the all-namespaces list and the memory figure
     * @param listRuns      lists timed; the best counts
     * @param watchers      watches on the watched namespace
     * @param watchClients  fabric8 clients the watches are spread over
     * @param watchPods     pods in the watched namespace, patched round robin
     * @param watchEvents   patches the watches receive
     * @param watchRate     patches per second
     */
    public record Config(String name, List<Integer> clientCounts, Duration phase, Duration warmup, int getClients,
                         Duration getPhase, int namespacePods, int totalPods, int listRuns, int watchers,
                         int watchClients, int watchPods, int watchEvents, int watchRate) {
        public Config {
            clientCounts = List.copyOf(clientCounts);
            if (clientCounts.isEmpty()) {
                throw new IllegalArgumentException("at least one client count is needed");
            }
            if (totalPods < namespacePods + watchPods) {
                throw new IllegalArgumentException("totalPods must hold the listed and the watched pods");
            }
        }

        /** Two to three minutes on two cores (loading 50,000 pods through the API dominates); the full pod count. */
        public static Config quick() {
            return new Config("quick", List.of(16, 64), Duration.ofSeconds(2), Duration.ofSeconds(1), 16,
                    Duration.ofSeconds(2), 10_000, 50_000, 2, 1_000, 10, 100, 50, 5);
        }

        /** A few minutes. */
        public static Config full() {
            return new Config("full", List.of(16, 64), Duration.ofSeconds(8), Duration.ofSeconds(3), 16,
                    Duration.ofSeconds(5), 10_000, 50_000, 3, 1_000, 10, 100, 300, 10);
        }
    }

    private final Config config;
    private final PrintStream out;
    private final long started = System.nanoTime();

    private ApiBenchmark(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Runs the API benchmark, printing a table and, last, the RESULT line to {@code out}.
     *
     * @param quick   a shorter run (two to three minutes on two cores) instead of the full one
     * @param workDir where the servers keep their data meanwhile; everything created there is removed afterwards
     * @return 0 on success, 1 if the benchmark failed (the reason is printed)
     */
    public static int run(boolean quick, Path workDir, PrintStream out) {
        return run(quick ? Config.quick() : Config.full(), workDir, out);
    }

    /** Runs the benchmark with an explicit configuration. */
    public static int run(Config config, Path workDir, PrintStream out) {
        return ScratchRun.run("API", workDir, out, dir -> new ApiBenchmark(config, out).runIn(dir));
    }

    /** {@code ApiBenchmark [--quick] [work-dir]}, for running (and profiling) without the CLI. */
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Path workDir = Stream.of(args).filter(a -> !a.startsWith("--")).findFirst().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir")));
        System.exit(run(quick, workDir, System.out));
    }

    /** Create figures per target and client count. */
    private record Row(String target, int clients, double perSecond, double p50Millis, double p99Millis,
                       long calls, boolean capped) {
        static Row of(String target, ClientLoad.Figures f) {
            return new Row(target, f.clients(), f.callsPerSecond(), f.p50Millis(), f.p99Millis(), f.calls(),
                    f.capped());
        }

        static Row of(String target, WriteLoad.Figures f) {
            return new Row(target, f.writers(), f.writesPerSecond(), f.p50Millis(), f.p99Millis(), f.writes(),
                    false);
        }
    }

    /** A timed list: fabric8 decoding into Pods, and the same request read as bytes only. */
    private record ListFigures(int pods, double fabric8Millis, double bytesMillis, long bytes) {
    }

    private void runIn(Path dir) throws Exception {
        header();
        List<Row> rows = new ArrayList<>();
        ClientLoad.Figures gets;
        ListFigures namespaceList;
        ListFigures totalList;
        List<ApiWatchLatency.Figures> watch;
        ProcessMemory.Snapshot memory;
        double rssAtStart;
        long created;
        progress("creating the cluster PKI and starting the API server");
        try (BenchApiServer server = BenchApiServer.start(dir.resolve("server"))) {
            rssAtStart = ProcessMemory.rssMib();
            List<KubernetesClient> clients = clients(server::newClient, config.clientCounts().getLast());
            try {
                KubernetesClient admin = clients.getFirst();
                for (String namespace : List.of(CREATES, LISTED, WATCHED)) {
                    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                            .endMetadata().build()).create();
                }
                // The namespace list's pods first: loading them warms the server and the clients up.
                progress("loading " + config.namespacePods() + " pods into namespace " + LISTED
                        + " (also the warm-up)");
                report("load", ClientLoad.load("load", creators(clients, LISTED, "l-"), 0, config.namespacePods()));
                namespaceList = list(admin, LISTED, config.namespacePods());
                gets = gets(clients.subList(0, Math.min(config.getClients(), clients.size())));
                // Every pod counts towards the total; the create phases may use what the other parts leave.
                long budget = config.totalPods() - config.namespacePods() - config.watchPods();
                created = creates(rows, "skiff", clients, budget, false);
                mock(rows);
                rawStorage(rows, dir.resolve("raw-storage"));
                printCreates(rows);

                ClientLoad.load("watched", creators(clients.subList(0, 1), WATCHED, "w-"), 0, config.watchPods());
                long topUp = config.totalPods() - config.namespacePods() - config.watchPods() - created;
                progress("loading " + topUp + " more pods: " + config.totalPods() + " in all");
                report("load", ClientLoad.load("top-up", creators(clients, CREATES, "p-"), created, topUp));
                totalList = list(admin, null, config.totalPods());
                watch = watch(server, admin);
            } finally {
                clients.forEach(KubernetesClient::close);
            }
            progress("measuring memory with " + config.totalPods() + " pods");
            memory = ProcessMemory.afterGc();
        }
        progress("done");
        printResult(rows, gets, namespaceList, totalList, watch, rssAtStart, memory);
    }

    private void header() {
        out.printf(Locale.ROOT, "API benchmark (%s): ~%d B pods, %s per create phase; Java %s, %d cores, max heap"
                        + " %d MiB%n", config.name(), BenchPods.json(CREATES, "checkout-7d4f9c6b8d-x2k9p").length,
                seconds(config.phase()), Runtime.version().feature(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576);
        out.flush();
    }

    private static List<KubernetesClient> clients(java.util.function.Supplier<KubernetesClient> factory, int count) {
        List<KubernetesClient> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            clients.add(factory.get());
        }
        return clients;
    }

    /** One creating call per client: pod {@code prefix + n} in {@code namespace}. */
    private static List<ClientLoad.Call> creators(List<KubernetesClient> clients, String namespace, String prefix) {
        return clients.stream().<ClientLoad.Call>map(client -> n ->
                client.pods().inNamespace(namespace).resource(BenchPods.pod(namespace, prefix + n)).create())
                .toList();
    }

    /** The measured create phases (after a warm-up if asked for); returns how many pods they created. */
    private long creates(List<Row> rows, String target, List<KubernetesClient> clients, long budget, boolean warm)
            throws InterruptedException {
        long next = 0;
        if (warm) {
            next += warm(target, clients, budget).calls();
        }
        for (int count : config.clientCounts()) {
            progress("creates, " + target + ", " + count + " clients");
            ClientLoad.Figures figures = ClientLoad.run(target + "-" + count,
                    creators(clients.subList(0, count), CREATES, "p-"), config.phase(), next, budget - next);
            rows.add(Row.of(target, figures));
            next += figures.calls();
        }
        return next;
    }

    private ClientLoad.Figures warm(String target, List<KubernetesClient> clients, long budget)
            throws InterruptedException {
        progress("warming up " + target);
        return ClientLoad.run(target + "-warm", creators(clients.subList(0, Math.min(16, clients.size())), CREATES,
                "p-"), config.warmup(), 0, budget);
    }

    /** The same create phases against fabric8's CRUD mock, started for them and stopped after. */
    private void mock(List<Row> rows) throws InterruptedException {
        progress("starting fabric8's mock API server (CRUD mode)");
        try (MockApiServer mock = MockApiServer.start()) {
            List<KubernetesClient> clients = clients(mock::newClient, config.clientCounts().getLast());
            try {
                creates(rows, "fabric8 mock", clients, Long.MAX_VALUE, true);
            } finally {
                clients.forEach(KubernetesClient::close);
            }
        }
    }

    /** The ceiling: the pods' JSON written straight into an embedded store by as many writers. */
    private void rawStorage(List<Row> rows, Path dir) throws InterruptedException {
        byte[] value = BenchPods.json(CREATES, "checkout-7d4f9c6b8d-x2k9p");
        CreateTarget target;
        try (EmbeddedBackend backend = EmbeddedBackend.open(dir)) {
            target = CreateTarget.of(backend);
            progress("warming up raw storage");
            WriteLoad.run(target, Math.min(16, config.clientCounts().getLast()), config.warmup(),
                    "/registry/pods/warm/", value);
            for (int count : config.clientCounts()) {
                progress("creates, raw storage, " + count + " writers");
                rows.add(Row.of("raw storage", WriteLoad.run(target, count, config.phase(),
                        "/registry/pods/" + CREATES + "/" + count + "-", value)));
            }
        }
    }

    private ClientLoad.Figures gets(List<KubernetesClient> clients) throws InterruptedException {
        progress("reads, " + clients.size() + " clients");
        int pods = config.namespacePods();
        List<ClientLoad.Call> readers = clients.stream().<ClientLoad.Call>map(client -> n -> {
            String name = "l-" + ThreadLocalRandom.current().nextInt(pods);
            if (client.pods().inNamespace(LISTED).withName(name).get() == null) {
                throw new IllegalStateException("pod " + name + " not found");
            }
        }).toList();
        return ClientLoad.run("get", readers, config.getPhase(), 0, Long.MAX_VALUE);
    }

    /** Lists {@code namespace} (null: all namespaces) a few times; the best run counts. */
    private ListFigures list(KubernetesClient client, String namespace, int expected) throws Exception {
        progress("listing " + expected + " pods" + (namespace == null ? "" : " in namespace " + namespace));
        double fabric8 = best(() -> {
            PodList list = namespace == null
                    ? client.pods().inAnyNamespace().list()
                    : client.pods().inNamespace(namespace).list();
            return list.getItems().size();
        }, expected);
        String path = namespace == null ? "/api/v1/pods" : "/api/v1/namespaces/" + namespace + "/pods";
        long[] bytes = new long[1];
        double raw = best(() -> {
            bytes[0] = getBytes(client, path);
            return expected;
        }, expected);
        return new ListFigures(expected, fabric8, raw, bytes[0]);
    }

    /** GETs {@code path} with the client's HTTP client and reads the body without decoding it; returns its size. */
    private static long getBytes(KubernetesClient client, String path) throws Exception {
        HttpClient http = client.getHttpClient();
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + path;
        HttpResponse<InputStream> response = http.sendAsync(http.newHttpRequestBuilder().uri(url)
                .header("Accept", "application/json").build(), InputStream.class)
                .get(BenchApiServer.REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try (InputStream body = response.body()) {
            if (response.code() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + response.code());
            }
            return body.transferTo(OutputStream.nullOutputStream());
        }
    }

    private double best(Callable<Integer> list, int expected) throws Exception {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < config.listRuns(); run++) {
            long start = System.nanoTime();
            int size = list.call();
            double millis = (System.nanoTime() - start) / 1e6;
            if (size != expected) {
                throw new IllegalStateException("a list returned " + size + " pods instead of " + expected);
            }
            best = Math.min(best, millis);
        }
        return best;
    }

    /**
     * Watch fan-out, twice: {@code watchers} raw HTTP/2 watch streams (the server's figure, in the RESULT line), then
     * a tenth as many fabric8 watches over WebSockets (what a Java client sees, including its own decoding).
     */
    private List<ApiWatchLatency.Figures> watch(BenchApiServer server, KubernetesClient writer) throws Exception {
        List<String> pods = IntStream.range(0, config.watchPods()).mapToObj(i -> "w-" + i).toList();
        Duration deadline = Duration.ofSeconds(60);
        progress("opening " + config.watchers() + " raw watch streams on namespace " + WATCHED);
        RawWatches sizing = new RawWatches(null, config.watchers());
        ApiWatchLatency.Figures raw = ApiWatchLatency.run("raw HTTP/2", sizing.connections(),
                ApiWatchLatency.raw(server.sslContext(), server.url() + "/api/v1/namespaces/" + WATCHED + "/pods"),
                writer, WATCHED, pods, config.watchers(), config.watchEvents(), config.watchRate(), deadline);
        int fabric8Watchers = Math.max(1, config.watchers() / 10);
        progress("opening " + fabric8Watchers + " fabric8 watches on namespace " + WATCHED);
        List<KubernetesClient> clients = clients(server::newClient, config.watchClients());
        try {
            ApiWatchLatency.Figures fabric8 = ApiWatchLatency.run("fabric8 WebSocket", clients.size(),
                    ApiWatchLatency.fabric8(clients, WATCHED), writer, WATCHED, pods, fabric8Watchers,
                    config.watchEvents(), config.watchRate(), deadline);
            return List.of(raw, fabric8);
        } finally {
            clients.forEach(KubernetesClient::close);
        }
    }

    private void report(String what, ClientLoad.Figures f) {
        out.printf(Locale.ROOT, "    %s: %,d pods in %.1f s (%.0f/s, p99 %.1f ms)%n", what, f.calls(), f.seconds(),
                f.callsPerSecond(), f.p99Millis());
        out.flush();
    }

    private void printCreates(List<Row> rows) {
        out.println();
        out.printf(Locale.ROOT, "%-8s %-13s %10s %10s %10s %9s%n", "clients", "target", "creates/s", "p50 ms",
                "p99 ms", "creates");
        for (int count : config.clientCounts()) {
            for (String target : List.of("skiff", "fabric8 mock", "raw storage")) {
                rows.stream().filter(r -> r.clients() == count && r.target().equals(target)).forEach(r ->
                        out.printf(Locale.ROOT, "%-8d %-13s %10.0f %10.2f %10.2f %9d%s%n", r.clients(), r.target(),
                                r.perSecond(), r.p50Millis(), r.p99Millis(), r.calls(),
                                r.capped() ? "  (stopped at the pod budget)" : ""));
            }
        }
        out.println();
        out.flush();
    }

    private void printResult(List<Row> rows, ClientLoad.Figures gets, ListFigures namespaceList,
                             ListFigures totalList, List<ApiWatchLatency.Figures> watches, double rssAtStart,
                             ProcessMemory.Snapshot memory) {
        out.println();
        out.printf(Locale.ROOT, "get, %d clients: %.0f/s, p50 %.2f ms, p99 %.2f ms%n", gets.clients(),
                gets.callsPerSecond(), gets.p50Millis(), gets.p99Millis());
        printList("one namespace", namespaceList);
        printList("all namespaces", totalList);
        for (ApiWatchLatency.Figures w : watches) {
            out.printf(Locale.ROOT, "watch, %s: %d watches over %d connections, opened in %.1f s; %d patches"
                            + " at %d/s (patch p99 %.2f ms):%n"
                            + "  delivery after the patch returned: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                            + "  end to end (patch sent -> event received): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    w.kind(), w.watchers(), w.connections(), w.setupSeconds(), w.events(), w.ratePerSecond(),
                    w.writeP99(), w.deliveryP50(), w.deliveryP99(), w.deliveryMax(), w.endToEndP50(),
                    w.endToEndP99(), w.endToEndMax());
        }
        out.printf(Locale.ROOT, "memory with %,d pods (server and clients in one process): RSS %.0f MiB (%.0f MiB"
                        + " after start-up), heap after GC %.0f MiB used of %.0f MiB committed%n",
                config.totalPods(), memory.rssMib(), rssAtStart, memory.heapUsedMib(), memory.heapCommittedMib());
        int top = config.clientCounts().getLast();
        double skiff = perSecond(rows, "skiff", top);
        double mock = perSecond(rows, "fabric8 mock", top);
        double raw = perSecond(rows, "raw storage", top);
        out.println();
        out.println(resultLine(skiff, mock, raw, gets.p99Millis(), totalList.bytesMillis(),
                watches.getFirst().deliveryP99(),
                memory.rssMib()));
        out.flush();
    }

    private void printList(String scope, ListFigures f) {
        out.printf(Locale.ROOT, "list of %,d pods, %s (best of %d): fabric8 .list() %.0f ms; the same request read"
                        + " as bytes %.0f ms (%.1f MiB)%n", f.pods(), scope, config.listRuns(), f.fabric8Millis(),
                f.bytesMillis(), f.bytes() / 1048576.0);
    }

    static String resultLine(double creates, double mock, double raw, double getP99, double list50k,
                             double watchP99, double rssMib) {
        return String.format(Locale.ROOT, "RESULT creates_per_s=%.0f peer_mock_creates_per_s=%.0f vs_mock=%.2f"
                        + " vs_raw_storage=%.2f get_p99_ms=%.2f list_50k_ms=%.0f watch_p99_ms=%.2f rss_50k_mib=%.0f",
                creates, mock, creates / mock, creates / raw, getP99, list50k, watchP99, rssMib);
    }

    private static double perSecond(List<Row> rows, String target, int clients) {
        return rows.stream()
                .filter(r -> r.target().equals(target) && r.clients() == clients)
                .findFirst().orElseThrow().perSecond();
    }

    private void progress(String what) {
        out.printf(Locale.ROOT, "... %5.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
        out.flush();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
