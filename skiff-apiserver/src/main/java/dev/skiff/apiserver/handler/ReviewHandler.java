package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.authz.Attributes;
import dev.skiff.apiserver.authz.RbacAuthorizer;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.status.ApiException;
import java.util.List;
import java.util.Map;

/**
 * The never-stored review resources: {@code SelfSubjectAccessReview} and {@code SubjectAccessReview} (what
 * {@code kubectl auth can-i} asks), {@code LocalSubjectAccessReview}, and {@code SelfSubjectReview} ({@code kubectl
 * auth whoami}). Each answers the posted object with its {@code status} filled in.
 */
final class ReviewHandler {

    private final RbacAuthorizer authorizer;
    private final Responses responses;

    ReviewHandler(RbacAuthorizer authorizer, Responses responses) {
        this.authorizer = authorizer;
        this.responses = responses;
    }

    /** Whether {@code info} is a review this handler answers. */
    static boolean handles(RequestInfo info) {
        return info.verb().equals("create") && (info.group().equals("authorization.k8s.io")
                || (info.group().equals("authentication.k8s.io") && info.resource().equals("selfsubjectreviews")));
    }

    void handle(Exchange exchange, RequestInfo info, UserInfo user) {
        ObjectNode review = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
        switch (info.resource()) {
            case "selfsubjectaccessreviews" -> accessReview(exchange, review, user, "");
            case "localsubjectaccessreviews" -> accessReview(exchange, review, subject(review), info.namespace());
            case "subjectaccessreviews" -> accessReview(exchange, review, subject(review), "");
            case "selfsubjectreviews" -> {
                ObjectNode userInfo = review.putObject("status").putObject("userInfo");
                userInfo.put("username", user.name());
                if (!user.uid().isEmpty()) {
                    userInfo.put("uid", user.uid());
                }
                ArrayNode groups = userInfo.putArray("groups");
                user.groups().forEach(groups::add);
                responses.object(exchange, 201, withType(review, "authentication.k8s.io/v1", "SelfSubjectReview"));
            }
            default -> throw ApiException.pathNotFound();
        }
    }

    private void accessReview(Exchange exchange, ObjectNode review, UserInfo user, String forcedNamespace) {
        JsonNode spec = review.path("spec");
        JsonNode resource = spec.path("resourceAttributes");
        JsonNode nonResource = spec.path("nonResourceAttributes");
        Attributes attributes;
        if (resource.isObject()) {
            String namespace = forcedNamespace.isEmpty() ? resource.path("namespace").asText("") : forcedNamespace;
            attributes = new Attributes(user, resource.path("verb").asText(""), true,
                    resource.path("group").asText(""), resource.path("resource").asText(""),
                    resource.path("subresource").asText(""), namespace, resource.path("name").asText(""), "");
        } else if (nonResource.isObject()) {
            attributes = new Attributes(user, nonResource.path("verb").asText(""), false, "", "", "", "", "",
                    nonResource.path("path").asText(""));
        } else {
            throw ApiException.invalid("authorization.k8s.io", review.path("kind").asText("SubjectAccessReview"),
                    "", List.of(new dev.skiff.apiserver.status.Status.Cause("FieldValueRequired",
                            "Required value: exactly one of nonResourceAttributes or resourceAttributes must be "
                                    + "specified", "spec.resourceAttributes")));
        }
        RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
        ObjectNode status = review.putObject("status");
        status.put("allowed", decision.allowed());
        if (decision.allowed()) {
            status.put("reason", "allowed by RBAC");
        }
        responses.object(exchange, 201, review);
    }

    private static UserInfo subject(ObjectNode review) {
        JsonNode spec = review.path("spec");
        List<String> groups = new java.util.ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        return new UserInfo(spec.path("user").asText(""), spec.path("uid").asText(""), groups, Map.of());
    }

    private static ObjectNode withType(ObjectNode object, String apiVersion, String kind) {
        object.put("apiVersion", apiVersion).put("kind", kind);
        return object;
    }
}
