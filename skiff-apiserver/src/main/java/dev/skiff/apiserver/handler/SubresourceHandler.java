package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceType;

/** Serves one subresource request that the generic verbs do not cover (get, update and patch of a view). */
@FunctionalInterface
public interface SubresourceHandler {

    void handle(Exchange exchange, ResourceType type, RequestInfo info);
}
