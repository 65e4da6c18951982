package dev.skiff.bench.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code skiff bench sandbox}: pods in real sandboxes, each timed from its create call until the benchmark's watch
 * sees it Running, and the raw peer on the same containerd.
 *
 * <ol>
 *   <li><b>Cold start</b>: each sample pulls a small busybox image no earlier sample used (its own repository and
 *       layer), so the start includes the pull from the local registry.</li>
 *   <li><b>Cached start</b>: one image, pulled by a warm-up pod first; each sample is one pod on it.</li>
 *   <li><b>Burst</b>: {@code burstPods} pods of the cached image created at once by 16 clients; first create until
 *       the last is Running.</li>
 *   <li><b>Raw peer</b>: {@link RawCtr} starts the cached image with {@code ctr run -d} (and, for reference,
 *       {@code ctr run --rm ... true}), one sample after each cached start.</li>
 *   <li><b>CRI pod peer</b>: the same pod's CRI calls made directly on the cluster's containerd (sandbox with its
 *       network, then the container): what containerd itself costs for a pod, like for like; one sample after each
 *       cached start.</li>
 *   <li><b>Image cache</b>: a {@code fillerMib} MiB image started cold (pulled by the pod) against another one of the
 *       same size pre-pulled by an ImageCache, the pod naming the cache's snapshot id.</li>
 * </ol>
 * Pods are deleted after each sequential sample and the benchmark waits until containerd removed their sandboxes,
 * so each start finds an otherwise idle node.
 */
public final class SandboxBenchmark {

    static final String NAMESPACE = "bench-sandbox";
    private static final long POD_TIMEOUT = Duration.ofMinutes(3).toNanos();
    private static final ResourceDefinitionContext IMAGE_CACHES = new ResourceDefinitionContext.Builder()
            .withGroup("eci.alibabacloud.com").withVersion("v1").withKind("ImageCache").withPlural("imagecaches")
            .withNamespaced(false).build();

    /** What to run; the quick run is for a first look and CI. */
    public record Config(String name, int coldSamples, int cachedSamples, int rawSamples, int burstPods,
            int largeMib, int cacheSamples) {

        public static Config quick() {
            return new Config("quick", 3, 10, 10, 20, 64, 1);
        }

        public static Config full() {
            return new Config("full", 10, 30, 30, 100, 64, 3);
        }
    }

    private final Config config;
    private final SandboxTarget target;
    private final PrintStream out;
    private final KubernetesClient client;
    /** Why ImageCaches cannot be built on this cluster, once one failed; null while they work. */
    private String imageCacheFailure;

    private SandboxBenchmark(Config config, SandboxTarget target, PrintStream out) {
        this.config = config;
        this.target = target;
        this.out = out;
        this.client = target.client();
    }

    /** Runs the benchmark, printing as it goes and the RESULT line last; closes {@code target}. Returns 0. */
    public static int run(Config config, SandboxTarget target, PrintStream out) throws InterruptedException {
        try (target) {
            return new SandboxBenchmark(config, target, out).run();
        }
    }

    private int run() throws InterruptedException {
        out.printf(Locale.ROOT, "sandbox benchmark (%s) on %s; load average %s%n", config.name(), target.describe(),
                LoadAverage.read());
        if (!RawCtr.available()) {
            throw new IllegalStateException("the raw peer needs containerd's 'ctr' (Debian package containerd)");
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
        try (PodStarts pods = new PodStarts(client, NAMESPACE); RawCtr raw = new RawCtr(target.containerdSocket())) {
            Samples cold = cold(pods);
            out.println(cold.describe());
            String cachedImage = target.pushSmallImage("bench/cached");
            pods.start(PodStarts.pod("warm", cachedImage, Map.of()), POD_TIMEOUT);
            delete(pods, "warm");
            raw.pull(cachedImage);
            List<Double> rawMillis = new ArrayList<>();
            List<Double> criPodMillis = new ArrayList<>();
            Samples cached = cached(pods, cachedImage, raw, rawMillis, criPodMillis);
            out.println(cached.describe());
            Samples rawDetached = Samples.of("raw ctr run -d (task running)", rawMillis);
            out.println(rawDetached.describe());
            Samples criPod = criPodMillis.isEmpty() ? null : Samples.of("CRI pod (sandbox+container)", criPodMillis);
            if (criPod != null) {
                out.println(criPod.describe());
            }
            List<Double> rm = new ArrayList<>();
            for (int i = 0; i < config.rawSamples(); i++) {
                rm.add(raw.timedRunToCompletion(cachedImage));
            }
            out.println(Samples.of("raw ctr run --rm ... true", rm).describe());
            double burst = burst(pods, cachedImage);
            out.printf(Locale.ROOT, "%-34s %d pods Running in %.1f s (load average %s)%n", "burst", config.burstPods(),
                    burst, LoadAverage.read());
            double speedup = imageCache(pods);
            SandboxResult result = new SandboxResult(cached.p50(), rawDetached.p50(), cold.p50(), burst,
                    config.burstPods(), speedup, imageCacheFailure == null,
                    criPod == null ? Double.NaN : criPod.p50());
            out.printf(Locale.ROOT, "load average at the end %s%n", LoadAverage.read());
            out.println(result.resultLine());
            out.flush();
            return 0;
        } finally {
            try {
                client.namespaces().withName(NAMESPACE).delete();
            } catch (RuntimeException e) {
                // The cluster is stopped right after; a failed clean-up must not hide why the run ended.
                out.println("could not delete namespace " + NAMESPACE + ": " + e.getMessage());
            }
        }
    }

    private Samples cold(PodStarts pods) throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < config.coldSamples(); i++) {
            String image = target.pushSmallImage("bench/cold-" + i + "-" + Long.toHexString(System.nanoTime()));
            String name = "cold-" + i;
            millis.add(pods.start(PodStarts.pod(name, image, Map.of()), POD_TIMEOUT));
            delete(pods, name);
        }
        return Samples.of("cold start (pull), create->Running", millis);
    }

    /**
     * The cached starts, each followed by one sample of each peer ({@code ctr run -d} into {@code rawMillis}, the
     * CRI pod into {@code criPodMillis} when the target can make one) while there are peer samples to take: the
     * pod and its peers then see the same load, which on a shared machine drifts more between phases of a run than
     * the differences measured.
     */
    private Samples cached(PodStarts pods, String image, RawCtr raw, List<Double> rawMillis,
            List<Double> criPodMillis) throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        List<Double> toBound = new ArrayList<>();
        List<Double> boundToRunning = new ArrayList<>();
        boolean criPod = true;
        for (int i = 0; i < config.cachedSamples(); i++) {
            String name = "cached-" + i;
            long t0 = pods.create(PodStarts.pod(name, image, Map.of()));
            long running = pods.awaitRunning(name, System.nanoTime() + POD_TIMEOUT);
            long bound = pods.boundAt(name);
            millis.add((running - t0) / 1e6);
            if (bound != 0) {
                toBound.add((bound - t0) / 1e6);
                boundToRunning.add((running - bound) / 1e6);
            }
            delete(pods, name);
            if (i < config.rawSamples()) {
                rawMillis.add(raw.timedDetachedStart(image));
                var sample = criPod ? target.timedCriPodStart(image, PodStarts.COMMAND) : OptionalDouble.empty();
                criPod = sample.isPresent();
                sample.ifPresent(criPodMillis::add);
            }
        }
        // The two stages say who the time belongs to: API server and scheduler, then node agent and runtime.
        out.println(Samples.of("  of which create->bound", toBound).describe());
        out.println(Samples.of("  of which bound->Running", boundToRunning).describe());
        return Samples.of("cached start, create->Running", millis);
    }

    /** Seconds from the first create until every pod of the burst is Running; then removes them. */
    private double burst(PodStarts pods, String image) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < config.burstPods(); i++) {
            names.add("burst-" + i);
        }
        List<Long> createdAt = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ExecutorService creators = Executors.newFixedThreadPool(16)) {
            List<Future<Long>> creates = new ArrayList<>();
            for (String name : names) {
                creates.add(creators.submit(() -> pods.create(PodStarts.pod(name, image, Map.of()))));
            }
            for (Future<Long> f : creates) {
                try {
                    createdAt.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a burst create failed: " + e.getCause(), e.getCause());
                }
            }
        }
        long last = t0;
        long deadline = System.nanoTime() + POD_TIMEOUT;
        List<Double> toBound = new ArrayList<>();
        List<Double> boundToRunning = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            long running = pods.awaitRunning(names.get(i), deadline);
            long bound = pods.boundAt(names.get(i));
            last = Math.max(last, running);
            if (bound != 0) {
                toBound.add((bound - createdAt.get(i)) / 1e6);
                boundToRunning.add((running - bound) / 1e6);
            }
        }
        double seconds = (last - t0) / 1e9;
        // Where the burst queues: in the API server and scheduler, or on the nodes (containerd, runc, CNI).
        out.println(Samples.of("  burst pod create->bound", toBound).describe());
        out.println(Samples.of("  burst pod bound->Running", boundToRunning).describe());
        client.pods().inNamespace(NAMESPACE).withGracePeriod(0).delete();
        for (String name : names) {
            pods.delete(name, POD_TIMEOUT);
        }
        awaitIdle();
        return seconds;
    }

    /** Deletes a sequential sample's pod and waits until its sandbox is gone too (see {@link #awaitIdle}). */
    private void delete(PodStarts pods, String name) throws InterruptedException {
        pods.delete(name, POD_TIMEOUT);
        awaitIdle();
    }

    /**
     * Waits until containerd holds no pod sandbox: a pod deleted with no grace period leaves the API at once while
     * its node still stops and removes the sandbox (StopContainer, CNI DEL, shim exit, RemovePodSandbox), and a
     * start measured meanwhile would share the cores with that teardown. The raw peers remove their containers
     * inside their loops, so this makes every sequential sample start on an idle containerd, as theirs do.
     */
    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + POD_TIMEOUT;
        while (target.sandboxCount() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the node still holds pod sandboxes " + Duration.ofNanos(POD_TIMEOUT)
                        + " after their pods were deleted");
            }
            // Not timed: a fine poll only shortens the pause between samples.
            Thread.sleep(20);
        }
    }

    /** Cold start over image-cache start of a large image (p50s), or NaN when the cluster has no ImageCache. */
    private double imageCache(PodStarts pods) throws InterruptedException {
        List<Double> cold = new ArrayList<>();
        List<Double> cachedStarts = new ArrayList<>();
        for (int i = 0; i < config.cacheSamples(); i++) {
            String suffix = i + "-" + Long.toHexString(System.nanoTime());
            String coldImage = target.pushLargeImage("bench/large-cold-" + suffix, config.largeMib());
            cold.add(pods.start(PodStarts.pod("large-cold-" + i, coldImage, Map.of()), POD_TIMEOUT));
            delete(pods, "large-cold-" + i);

            String cachedImage = target.pushLargeImage("bench/large-cached-" + suffix, config.largeMib());
            String cacheName = "bench-" + i;
            Map<String, String> annotations = Map.of();
            if (imageCacheFailure == null) {
                try {
                    annotations = Map.of("k8s.aliyun.com/eci-image-snapshot-id", buildImageCache(cacheName,
                            cachedImage));
                } catch (IllegalStateException e) {
                    // A runtime without image pulls (InstanceRuntime.pullImage unsupported) cannot build caches.
                    imageCacheFailure = e.getMessage();
                    out.println("ImageCache not usable here (" + imageCacheFailure + "); the image is pre-pulled"
                            + " by a pod instead, which leaves containerd in the same state");
                } finally {
                    client.genericKubernetesResources(IMAGE_CACHES).withName(cacheName).delete();
                }
            }
            if (imageCacheFailure != null) {
                pods.start(PodStarts.pod("large-prepull-" + i, cachedImage, Map.of()), POD_TIMEOUT);
                delete(pods, "large-prepull-" + i);
            }
            cachedStarts.add(pods.start(PodStarts.pod("large-cache-" + i, cachedImage, annotations), POD_TIMEOUT));
            delete(pods, "large-cache-" + i);
        }
        Samples coldLarge = Samples.of(config.largeMib() + " MiB image, cold pull", cold);
        Samples fromCache = Samples.of(config.largeMib() + " MiB image, " + (imageCacheFailure == null
                ? "from ImageCache" : "pre-pulled"), cachedStarts);
        out.println(coldLarge.describe());
        out.println(fromCache.describe());
        double speedup = coldLarge.p50() / fromCache.p50();
        out.printf(Locale.ROOT, "%-34s %.1fx%n", imageCacheFailure == null ? "image cache speed-up (p50)"
                : "pre-pulled speed-up (p50)", speedup);
        return speedup;
    }

    /** Creates an ImageCache of {@code image}, waits until it is Ready, returns its snapshot id. */
    private String buildImageCache(String name, String image) throws InterruptedException {
        GenericKubernetesResource cache = new GenericKubernetesResourceBuilder()
                .withApiVersion("eci.alibabacloud.com/v1").withKind("ImageCache")
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("images", List.of(image)))
                .build();
        client.genericKubernetesResources(IMAGE_CACHES).resource(cache).create();
        long deadline = System.nanoTime() + POD_TIMEOUT;
        while (System.nanoTime() - deadline < 0) {
            GenericKubernetesResource now = client.genericKubernetesResources(IMAGE_CACHES).withName(name).get();
            Object status = now == null ? null : now.getAdditionalProperties().get("status");
            if (status instanceof Map<?, ?> s) {
                if ("Ready".equals(s.get("phase")) && s.get("imageCacheId") != null) {
                    return String.valueOf(s.get("imageCacheId"));
                }
                if ("Failed".equals(s.get("phase"))) {
                    throw new IllegalStateException("ImageCache " + name + " failed: " + s.get("events"));
                }
            }
            // Not timed: the cache is built before the measured start, so a coarse poll is enough.
            Thread.sleep(200);
        }
        throw new IllegalStateException("ImageCache " + name + " was not Ready in time");
    }
}
