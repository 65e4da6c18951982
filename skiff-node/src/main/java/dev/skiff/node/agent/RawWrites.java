package dev.skiff.node.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's two hot writes, sent on the client's HTTP client without decoding the answer: a pod status merge
 * patch and an Event create. fabric8's typed calls decode every response into a model object, which the agent
 * never reads; for a burst of pods that decoding was a tenth of the process's CPU (decision 026). Authentication,
 * TLS and the connection are the client's. Stateless apart from the client; thread-safe; every method blocks on one
 * request.
 */
final class RawWrites {

    private final KubernetesClient client;

    RawWrites(KubernetesClient client) {
        this.client = client;
    }

    /** PATCHes {@code pods/NAME/status} with a JSON merge patch; returns the HTTP status code (0: no answer). */
    int patchPodStatus(String namespace, String name, String mergePatch) {
        return send("/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(name) + "/status",
                "PATCH", "application/merge-patch+json", mergePatch);
    }

    /** POSTs an Event; returns the HTTP status code (0: no answer). */
    int createEvent(String namespace, String eventJson) {
        return send("/api/v1/namespaces/" + encode(namespace) + "/events", "POST", "application/json", eventJson);
    }

    private int send(String path, String method, String contentType, String body) {
        HttpClient http = client.getHttpClient();
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + path;
        HttpRequest request = http.newHttpRequestBuilder().uri(url)
                .method(method, contentType, body)
                .timeout(30, TimeUnit.SECONDS)
                .build();
        try {
            HttpResponse<String> response = http.sendAsync(request, String.class).get(60, TimeUnit.SECONDS);
            return response.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
