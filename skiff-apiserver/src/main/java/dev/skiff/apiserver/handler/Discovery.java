package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.http.Exchange;

/**
 * Serves the discovery and OpenAPI documents ({@code /api}, {@code /apis/...}, {@code /openapi/...},
 * {@code /version}). Returns false when the path is not one of its documents.
 */
public interface Discovery {

    boolean serve(Exchange exchange);
}
