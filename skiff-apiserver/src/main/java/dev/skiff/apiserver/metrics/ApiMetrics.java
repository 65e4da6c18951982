package dev.skiff.apiserver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Request metrics as kube-apiserver names them ({@code apiserver_request_total} and
 * {@code apiserver_request_duration_seconds} by verb, group, resource, subresource and code) plus JVM metrics, in
 * the Prometheus text format. Thread-safe.
 */
public final class ApiMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ApiMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** The meters of one verb/resource/code combination; looked up once, then reused. */
    private record Key(String verb, String group, String resource, String subresource, int code) {
    }

    private record Meters(Counter total, Timer duration) {
    }

    /**
     * Meters by key: building and registering them per request (tag sorting, id hashing, the registry's lookup) was
     * a visible share of a create's CPU in the API benchmark's profile. A handful of combinations in practice.
     */
    private final java.util.concurrent.ConcurrentHashMap<Key, Meters> meters =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Records one finished request. */
    public void request(String verb, String group, String resource, String subresource, int code, Duration took) {
        Meters m = meters.computeIfAbsent(new Key(verb, group, resource, subresource, code), this::register);
        m.total().increment();
        m.duration().record(took);
    }

    private Meters register(Key key) {
        String verb = key.verb().toUpperCase(java.util.Locale.ROOT);
        String[] tags = {"verb", verb, "group", key.group(), "resource", key.resource(),
                "subresource", key.subresource(), "code", Integer.toString(key.code())};
        Counter total = Counter.builder("apiserver_request_total")
                .description("Requests by verb, resource and HTTP code").tags(tags).register(registry);
        Timer duration = Timer.builder("apiserver_request_duration_seconds").description("Request latency")
                .tags("verb", verb, "group", key.group(), "resource", key.resource(), "subresource",
                        key.subresource())
                .publishPercentileHistogram().register(registry);
        return new Meters(total, duration);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
