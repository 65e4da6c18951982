package dev.skiff.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * {@code skiff bench pods}: one Deployment scaled through steps on a nodeless cluster with the simulated runtime,
 * every pod observed Running through a watch, against a peer measured in the same run.
 *
 * <ul>
 *   <li><b>Steps</b>: 0 → {@code first} → {@code middle} Running (the burst the RESULT's pods/s, startup p99 and
 *       {@code pods_10k_s} come from), then back to 0 (the scale-in time), then 0 → {@code top} held (the server's
 *       memory is measured there), then 0 again.</li>
 *   <li><b>Peer</b>: the same pod bodies created straight through the API by {@code peerClients} clients, with a
 *       scheduler name no scheduler answers to, so nothing but the API server and its storage works on them: the
 *       create rate with no controller, scheduler or node agent in the loop. {@code vs_peer} is the end-to-end
 *       pods/s over that rate.</li>
 * </ul>
 *
 * <p>The last line printed is {@code RESULT pods_per_s=... startup_p99_ms=... pods_10k_s=... pods_50k_rss_mib=...
 * scale_in_10k_s=... vs_peer=...}; the names are those of the full run (steps 1,000, 10,000, 50,000), the quick run
 * fills them from its smaller steps and says so.
 */
public final class PodsBenchmark {

    static final String NAMESPACE = "bench-pods";
    static final String PEER_NAMESPACE = "bench-pods-peer";
    static final String DEPLOYMENT = "bench";
    /** No scheduler answers to this name: the peer's pods stay unscheduled. */
    static final String NO_SCHEDULER = "skiff-bench-unscheduled";

    /**
     * What to run.
     *
     * @param name        shown in the header
     * @param first       the first step's replicas
     * @param middle      the burst step's replicas (the RESULT's figures)
     * @param top         the replicas held for the memory figure
     * @param peerPods    pods the peer creates
     * @param peerClients concurrent clients of the peer
     */
    public record Config(String name, int first, int middle, int top, int peerPods, int peerClients) {

        public static Config quick() {
            return new Config("quick", 200, 1_000, 2_000, 1_000, 16);
        }

        public static Config full() {
            return new Config("full", 1_000, 10_000, 50_000, 5_000, 16);
        }
    }

    /** One scale step's figures. */
    record Step(String name, int from, int to, double seconds, double p50Millis, double p99Millis,
                double maxMillis, boolean reached) {
        double podsPerSecond() {
            return Math.abs(to - from) / seconds;
        }
    }

    private final Config config;
    private final PodsTarget target;
    private final PrintStream out;
    private final long started = System.nanoTime();

    private PodsBenchmark(Config config, PodsTarget target, PrintStream out) {
        this.config = config;
        this.target = target;
        this.out = out;
    }

    /**
     * Runs the benchmark against {@code target} (closed afterwards), printing the figures and, last, the RESULT
     * line.
     *
     * @return 0 on success, 1 if the benchmark failed (the reason is printed)
     */
    public static int run(Config config, PodsTarget target, PrintStream out) {
        try (target) {
            new PodsBenchmark(config, target, out).run();
            return 0;
        } catch (Exception e) {
            out.println("pods benchmark failed: " + e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }
    }

    private void run() throws Exception {
        KubernetesClient client = target.client();
        out.printf(Locale.ROOT, "skiff bench pods (%s): Deployment 0 -> %,d -> %,d -> 0, then 0 -> %,d held -> 0;"
                + " peer: %,d raw API creates by %d clients%n", config.name(), config.first(), config.middle(),
                config.top(), config.peerPods(), config.peerClients());
        out.println("target: " + target.describe() + "; " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + loadAverage());
        for (String ns : List.of(NAMESPACE, PEER_NAMESPACE)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
                    .build()).serverSideApply();
        }

        PeerFigures peer = peer(client);
        out.printf(Locale.ROOT, "peer: %,d raw API creates by %d clients: %,.0f pods/s (p50 %.1f ms, p99 %.1f ms)%n",
                peer.figures().calls(), peer.figures().clients(), peer.figures().callsPerSecond(),
                peer.figures().p50Millis(), peer.figures().p99Millis());

        PodTracker tracker = new PodTracker();
        List<Step> steps = new ArrayList<>();
        double rss;
        try (Watch ignored = client.pods().inNamespace(NAMESPACE).watch(tracker)) {
            client.apps().deployments().inNamespace(NAMESPACE).resource(deployment(0)).serverSideApply();
            steps.add(scale(client, tracker, "warm-up step", 0, config.first()));
            Step burst = scale(client, tracker, "burst", config.first(), config.middle());
            steps.add(burst);
            steps.add(scale(client, tracker, "scale in", config.middle(), 0));
            steps.add(scale(client, tracker, "to the top", 0, config.top()));
            progress("holding " + config.top() + " pods: measuring the server's memory");
            rss = target.serverRssMib().orElse(-1);
            out.printf(Locale.ROOT, "server RSS with %,d pods Running: %s%n", config.top(),
                    rss < 0 ? "not measurable from here" : String.format(Locale.ROOT, "%,.0f MiB", rss));
            steps.add(scale(client, tracker, "clean-up", config.top(), 0));
        } finally {
            client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).delete();
        }

        out.println();
        out.println("| step | replicas | seconds | pods/s | startup p50 ms | p99 ms | max ms |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Step s : steps) {
            out.printf(Locale.ROOT, "| %s | %,d -> %,d | %.2f%s | %,.0f | %s | %s | %s |%n", s.name(), s.from(),
                    s.to(), s.seconds(), s.reached() ? "" : " (not reached)", s.podsPerSecond(),
                    s.to() > s.from() ? fmt(s.p50Millis()) : "", s.to() > s.from() ? fmt(s.p99Millis()) : "",
                    s.to() > s.from() ? fmt(s.maxMillis()) : "");
        }
        Step burst = steps.get(1);
        Step scaleIn = steps.get(2);
        double vsPeer = burst.podsPerSecond() / peer.figures().callsPerSecond();
        if (!config.name().equals("full")) {
            out.printf(Locale.ROOT, "(%s run: pods_10k_s is the %,d-pod step, scale_in_10k_s scales %,d in,"
                    + " pods_50k_rss_mib holds %,d)%n", config.name(), config.middle(), config.middle(),
                    config.top());
        }
        out.printf(Locale.ROOT, "RESULT pods_per_s=%.0f startup_p99_ms=%.0f pods_10k_s=%.2f pods_50k_rss_mib=%.0f"
                + " scale_in_10k_s=%.2f vs_peer=%.2f%n", burst.podsPerSecond(), burst.p99Millis(),
                burst.seconds(), rss, scaleIn.seconds(), vsPeer);
        if (steps.stream().anyMatch(s -> !s.reached())) {
            throw new IllegalStateException("a step did not reach its replicas in time (see the table)");
        }
    }

    private record PeerFigures(ClientLoad.Figures figures) {
    }

    /** The peer: raw creates of the deployment's pod bodies, then their removal. */
    private PeerFigures peer(KubernetesClient client) throws Exception {
        progress("peer: " + config.peerPods() + " raw API creates");
        Pod body = new PodBuilder().withMetadata(template().getMetadata()).withSpec(template().getSpec()).build();
        body.getSpec().setSchedulerName(NO_SCHEDULER);
        List<ClientLoad.Call> clients = new ArrayList<>();
        for (int i = 0; i < config.peerClients(); i++) {
            clients.add(n -> client.pods().inNamespace(PEER_NAMESPACE).resource(new PodBuilder(body)
                    .editMetadata().withName("peer-" + n).endMetadata().build()).create());
        }
        ClientLoad.Figures figures = ClientLoad.load("peer", clients, 0, config.peerPods());
        client.pods().inNamespace(PEER_NAMESPACE).delete();
        return new PeerFigures(figures);
    }

    private Step scale(KubernetesClient client, PodTracker tracker, String name, int from, int to)
            throws InterruptedException {
        progress(name + ": " + from + " -> " + to);
        tracker.takeWindows();
        long begin = System.nanoTime();
        client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).scale(to);
        // Generous: a step that cannot finish in this time is reported as not reached rather than waited for.
        long deadline = begin + Duration.ofSeconds(120).toNanos() + Math.max(from, to) * 20_000_000L;
        boolean reached = to > from ? tracker.awaitCounts(to, -1, deadline) : tracker.awaitCounts(-1, to, deadline);
        double seconds = (System.nanoTime() - begin) / 1e9;
        PodTracker.Windows w = tracker.takeWindows();
        Histogram h = w.startup();
        if (to > from) {
            progress(String.format(Locale.ROOT, "%s stages: seen -> bound p50 %s / p99 %s ms; bound -> Running"
                    + " p50 %s / p99 %s ms", name, fmt(w.toBound().getValueAtPercentile(50) / 1000.0),
                    fmt(w.toBound().getValueAtPercentile(99) / 1000.0),
                    fmt(w.boundToRunning().getValueAtPercentile(50) / 1000.0),
                    fmt(w.boundToRunning().getValueAtPercentile(99) / 1000.0)));
        }
        if (!reached) {
            progress(name + " not reached: " + tracker.running() + " running, " + tracker.existing() + " exist");
        }
        return new Step(name, from, to, seconds, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, reached);
    }

    private static Deployment deployment(int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().addToMatchLabels("app", DEPLOYMENT).endSelector()
                    .withTemplate(template())
                .endSpec()
                .build();
    }

    /** A typical web pod: one container with requests, ports and an environment; no exit (it keeps Running). */
    private static PodTemplateSpec template() {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", DEPLOYMENT).addToLabels("tier", "web").endMetadata()
                .withNewSpec()
                    .addNewContainer()
                        .withName("web")
                        .withImage("registry.example.com/shop/web:1.0")
                        .addNewPort().withName("http").withContainerPort(8080).endPort()
                        .addNewEnv().withName("MODE").withValue("bench").endEnv()
                        .withNewResources()
                            .addToRequests("cpu", new Quantity("250m"))
                            .addToRequests("memory", new Quantity("256Mi"))
                        .endResources()
                    .endContainer()
                .endSpec()
                .build();
    }

    private static String fmt(double millis) {
        return String.format(Locale.ROOT, "%,.0f", millis);
    }

    private static String loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", load);
    }

    private void progress(String what) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - started) / 1e9, what);
        out.flush();
    }
}
