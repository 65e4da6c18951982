package dev.skiff.control.controller.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plain REST calls through the client's own HTTP client (same credentials and TLS), for what the typed DSL does
 * not offer: discovery documents, any resource by its discovered path, {@code deletecollection} and the
 * {@code namespaces/finalize} subresource.
 *
 * <p>Thread-safe; every call blocks until the response (at most 60 s).
 */
final class RawApi {

    /** One response. */
    record Response(int code, String body) {
        boolean ok() {
            return code / 100 == 2;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String base;

    RawApi(KubernetesClient client) {
        this.client = client;
        this.base = client.getMasterUrl().toString().replaceAll("/+$", "");
    }

    Response send(String method, String path, String jsonBody) {
        HttpRequest.Builder builder = client.getHttpClient().newHttpRequestBuilder().uri(base + path)
                .header("Accept", "application/json");
        if (jsonBody != null) {
            builder.method(method, "application/json", jsonBody);
        } else if (!method.equals("GET")) {
            builder.method(method, "application/json", "");
        }
        try {
            HttpResponse<String> response = client.getHttpClient().sendAsync(builder.build(), String.class)
                    .get(60, TimeUnit.SECONDS);
            return new Response(response.code(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException(method + " " + path + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(method + " " + path + " failed: " + e, e);
        }
    }

    /** GETs a JSON document; a non-2xx answer throws with its code and Status message. */
    JsonNode get(String path) {
        return json(send("GET", path, null), "GET " + path);
    }

    static JsonNode json(Response response, String what) {
        if (!response.ok()) {
            throw failure(response, what);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new KubernetesClientException(what + ": malformed JSON response", e);
        }
    }

    /** An exception carrying the answer's code and, when it is a Status, its message. */
    static KubernetesClientException failure(Response response, String what) {
        String message = response.body();
        try {
            JsonNode status = JSON.readTree(response.body());
            if (status.hasNonNull("message")) {
                message = status.get("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not a Status: keep the raw body
        }
        return new KubernetesClientException(what + ": " + message, response.code(), null);
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
