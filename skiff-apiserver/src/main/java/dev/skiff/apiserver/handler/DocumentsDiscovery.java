package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.discovery.DiscoveryDocuments;
import dev.skiff.apiserver.discovery.KubernetesVersion;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.openapi.OpenApiDocuments;
import dev.skiff.apiserver.resource.ResourceCatalog;
import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * Serves discovery ({@code /api}, {@code /apis}, group versions, aggregated discovery) and OpenAPI
 * ({@code /openapi/v2}, {@code /openapi/v3/...}) from documents built once from the catalog, with upstream's
 * caching headers for hashed OpenAPI URLs.
 */
public final class DocumentsDiscovery implements Discovery {

    private final DiscoveryDocuments discovery;
    private final OpenApiDocuments openApi;
    private final Responses responses;

    public DocumentsDiscovery(ResourceCatalog catalog, KubernetesVersion version, Responses responses) {
        this.discovery = new DiscoveryDocuments(catalog, version);
        this.openApi = new OpenApiDocuments(catalog, version, PatchMetaFacts.INSTANCE);
        this.responses = responses;
    }

    @Override
    public boolean serve(Exchange exchange) {
        String path = exchange.path();
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            return false;
        }
        if (path.startsWith("/openapi/")) {
            Optional<OpenApiDocuments.Answer> answer = openApi.answer(path, exchange.header("Accept"));
            if (answer.isEmpty()) {
                return false;
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            if (answer.get().etag() != null) {
                headers.add("ETag", "\"" + answer.get().etag() + "\"");
                if (exchange.param("hash") != null) {
                    headers.add("Cache-Control", "public, immutable");
                }
            }
            exchange.respond(200, answer.get().contentType(), answer.get().body(), headers);
            return true;
        }
        if (path.equals("/version") || path.equals("/version/") || path.equals("/api") || path.equals("/api/")
                || path.startsWith("/api/") || path.equals("/apis") || path.startsWith("/apis/")) {
            String host = exchange.header("Host");
            Optional<DiscoveryDocuments.Answer> answer = discovery.answer(stripSlash(path),
                    exchange.header("Accept"), host == null ? "" : host);
            if (answer.isEmpty()) {
                return false;
            }
            exchange.respond(200, answer.get().contentType(),
                    responses.codec().encode(answer.get().body(), false), null);
            return true;
        }
        return false;
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
