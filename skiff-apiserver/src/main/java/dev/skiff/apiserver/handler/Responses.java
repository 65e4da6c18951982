package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;

/** Writes answers in the representation the client accepts (JSON or YAML). */
public final class Responses {

    private final Codec codec;

    public Responses(Codec codec) {
        this.codec = codec;
    }

    public Codec codec() {
        return codec;
    }

    public void object(Exchange exchange, int status, Object body) {
        boolean yaml = Codec.prefersYaml(exchange.header("Accept"));
        exchange.respond(status, yaml ? Codec.YAML : Codec.JSON, codec.encode(body, yaml), null);
    }

    public void error(Exchange exchange, ApiException error) {
        exchange.respond(error.code(), Codec.JSON, codec.encode(error.status(), false), null);
    }

    public void success(Exchange exchange, String group, String resource, String name, String uid) {
        Status status = new Status("Success", null, null,
                new Status.Details(name, group, resource, uid, null, null), 200);
        object(exchange, 200, status);
    }

    public void text(Exchange exchange, int status, String text) {
        exchange.respond(status, "text/plain; charset=utf-8",
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    public ObjectNode newObject() {
        return codec.json().createObjectNode();
    }
}
