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

    /** Records one finished request. */
    public void request(String verb, String group, String resource, String subresource, int code, Duration took) {
        String[] tags = {"verb", verb.toUpperCase(java.util.Locale.ROOT), "group", group, "resource", resource,
                "subresource", subresource, "code", Integer.toString(code)};
        Counter.builder("apiserver_request_total").description("Requests by verb, resource and HTTP code")
                .tags(tags).register(registry).increment();
        Timer.builder("apiserver_request_duration_seconds").description("Request latency")
                .tags("verb", tags[1], "group", group, "resource", resource, "subresource", subresource)
                .publishPercentileHistogram().register(registry).record(took);
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
