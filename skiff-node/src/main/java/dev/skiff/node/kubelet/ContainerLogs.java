package dev.skiff.node.kubelet;

import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceNotFoundException;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.LogLine;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: a container's log as plain text, streamed while
 * {@code follow}, with the kubelet's query parameters ({@code previous}, {@code tailLines}, {@code sinceSeconds},
 * {@code sinceTime}, {@code timestamps}, {@code limitBytes}). With {@code timestamps} each line starts with its
 * RFC 3339 time and a space, as the kubelet writes it.
 */
final class ContainerLogs {

    private final PodDirectory pods;
    private final InstanceRuntime runtime;
    private final Clock clock;

    ContainerLogs(PodDirectory pods, InstanceRuntime runtime, Clock clock) {
        this.pods = pods;
        this.runtime = runtime;
        this.clock = clock;
    }

    /** Serves one request on the calling (virtual) thread; returns when the stream has ended. */
    void serve(String namespace, String name, String container, MultiMap query, HttpServerResponse response) {
        Target target = Target.container(pods, namespace, name, container);
        boolean timestamps = flag(query, "timestamps");
        LogOptions options = options(query);
        Optional<ContainerStatus> status = target.status(runtime);
        if (!options.previous() && status.isPresent() && status.get().state() instanceof ContainerState.Waiting w
                && status.get().lastState() == null) {
            // The kubelet's validateContainerLogStatus: nothing to show before the first start.
            throw KubeletError.badRequest("container \"" + container + "\" in pod \"" + name
                    + "\" is waiting to start: " + w.reason());
        }
        if (!options.previous() && status.isPresent() && status.get().state() instanceof ContainerState.Waiting
                && status.get().lastState() != null) {
            // Waiting to restart (CrashLoopBackOff): the kubelet shows the last terminated attempt's log.
            options = options.ofPrevious();
        }
        LogStream stream;
        try {
            stream = runtime.logs(target.instance(), container, options);
        } catch (ContainerNotFoundException e) {
            throw KubeletError.badRequest(options.previous()
                    ? "previous terminated container \"" + container + "\" in pod \"" + name + "\" not found"
                    : "container \"" + container + "\" in pod \"" + name + "\" is waiting to start: "
                            + "ContainerCreating");
        } catch (InstanceNotFoundException e) {
            throw KubeletError.badRequest("container \"" + container + "\" in pod \"" + name
                    + "\" is waiting to start: ContainerCreating");
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        response.closeHandler(v -> {
            closed.complete(null);
            stream.close();
        });
        response.exceptionHandler(e -> {
            closed.complete(null);
            stream.close();
        });
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain");
        // Headers at once: a follow of a quiet container may not write a line for a long time.
        response.writeHead();
        try (stream) {
            Optional<LogLine> line;
            while (!closed.isDone() && (line = stream.next()).isPresent()) {
                String text = timestamps ? line.get().timestamp() + " " + line.get().text() + "\n"
                        : line.get().text() + "\n";
                response.write(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
                if (!BlockingWrites.awaitDrain(response, closed)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!closed.isDone()) {
            response.end();
        }
    }

    private LogOptions options(MultiMap query) {
        Instant since = null;
        String sinceSeconds = query.get("sinceSeconds");
        String sinceTime = query.get("sinceTime");
        if (sinceSeconds != null && !sinceSeconds.isEmpty()) {
            since = clock.instant().minusSeconds(number(sinceSeconds, "sinceSeconds"));
        } else if (sinceTime != null && !sinceTime.isEmpty()) {
            try {
                since = java.time.OffsetDateTime.parse(sinceTime).toInstant();
            } catch (DateTimeParseException e) {
                throw KubeletError.badRequest("sinceTime: invalid RFC 3339 time \"" + sinceTime + "\"");
            }
        }
        String tail = query.get("tailLines");
        int tailLines = tail == null || tail.isEmpty() ? -1 : (int) Math.min(Integer.MAX_VALUE, number(tail,
                "tailLines"));
        String limit = query.get("limitBytes");
        long limitBytes = limit == null || limit.isEmpty() ? 0 : number(limit, "limitBytes");
        return new LogOptions(tailLines, since, flag(query, "follow"), flag(query, "previous"), limitBytes);
    }

    private static long number(String value, String field) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw KubeletError.badRequest(field + ": must be greater than or equal to 0");
            }
            return n;
        } catch (NumberFormatException e) {
            throw KubeletError.badRequest(field + ": invalid integer \"" + value + "\"");
        }
    }

    static boolean flag(MultiMap query, String name) {
        String value = query.get(name);
        return value != null && (value.equals("true") || value.equals("1"));
    }
}
