package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The service a reserved IP or port belongs to.
 *
 * @param namespace its namespace
 * @param name      its name
 */
record Owner(String namespace, String name) {

    static Owner of(ObjectNode service) {
        return new Owner(service.path("metadata").path("namespace").asText(""),
                service.path("metadata").path("name").asText(""));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
