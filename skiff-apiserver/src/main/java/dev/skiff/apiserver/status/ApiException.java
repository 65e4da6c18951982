package dev.skiff.apiserver.status;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An API request that fails with a {@link Status}. The factories mirror kube-apiserver's error constructors
 * (k8s.io/apimachinery/pkg/api/errors): same reasons, codes and message shapes.
 */
public final class ApiException extends RuntimeException {

    /** Requests bodies above this many bytes are refused (kube-apiserver's 3 MiB limit). */
    public static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;

    private final transient Status status;

    public ApiException(Status status) {
        super(status.message(), null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.code();
    }

    private static ApiException failure(int code, String reason, String message, Status.Details details) {
        return new ApiException(new Status("Failure", message, reason, details, code));
    }

    private static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    /** 404: {@code pods "web" not found}. */
    public static ApiException notFound(String group, String resource, String name) {
        return failure(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                new Status.Details(name, group, resource, null, null, null));
    }

    /** 409: {@code pods "web" already exists}. */
    public static ApiException alreadyExists(String group, String resource, String name) {
        return failure(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                new Status.Details(name, group, resource, null, null, null));
    }

    /** 409: {@code Operation cannot be fulfilled on pods "web": <why>}. */
    public static ApiException conflict(String group, String resource, String name, String why) {
        return failure(409, "Conflict",
                "Operation cannot be fulfilled on " + qualified(group, resource) + " \"" + name + "\": " + why,
                new Status.Details(name, group, resource, null, null, null));
    }

    /** The conflict kube-apiserver reports for a stale resourceVersion. */
    public static ApiException staleResourceVersion(String group, String resource, String name) {
        return conflict(group, resource, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** 422: {@code Pod "web" is invalid: [spec.containers: Required value, ...]}. */
    public static ApiException invalid(String group, String kind, String name, List<Status.Cause> causes) {
        String summary = causes.stream().map(c -> c.field() + ": " + c.message()).collect(Collectors.joining(", "));
        if (causes.size() > 1) {
            summary = "[" + summary + "]";
        }
        String who = group == null || group.isEmpty() ? kind : kind + "." + group;
        return failure(422, "Invalid", who + " \"" + name + "\" is invalid: " + summary,
                new Status.Details(name, group, kind, null, causes, null));
    }

    /** 400 with a free message. */
    public static ApiException badRequest(String message) {
        return failure(400, "BadRequest", message, null);
    }

    /** 401. */
    public static ApiException unauthorized() {
        return failure(401, "Unauthorized", "Unauthorized", null);
    }

    /**
     * 403: {@code pods "web" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "d"}.
     */
    public static ApiException forbidden(String group, String resource, String name, String why) {
        String subject = name == null || name.isEmpty()
                ? qualified(group, resource)
                : qualified(group, resource) + " \"" + name + "\"";
        return failure(403, "Forbidden", subject + " is forbidden: " + why,
                new Status.Details(name, group, resource, null, null, null));
    }

    /**
     * 403 for content created in a namespace being deleted, as upstream's NamespaceLifecycle admission:
     * {@code configmaps "x" is forbidden: unable to create new content in namespace d because it is being terminated},
     * with the {@code NamespaceTerminating} cause on {@code metadata.namespace} that controllers test for (they drop
     * such creates instead of retrying them).
     */
    public static ApiException namespaceTerminating(String group, String resource, String name, String namespace) {
        ApiException forbidden = forbidden(group, resource, name,
                "unable to create new content in namespace " + namespace + " because it is being terminated");
        Status.Details details = forbidden.status().details();
        return failure(403, "Forbidden", forbidden.getMessage(), new Status.Details(details.name(), details.group(),
                details.kind(), null, List.of(new Status.Cause("NamespaceTerminating",
                        "namespace " + namespace + " is being terminated", "metadata.namespace")), null));
    }

    /** 404 for a path that names no resource. */
    public static ApiException pathNotFound() {
        return failure(404, "NotFound", "the server could not find the requested resource",
                new Status.Details(null, null, null, null, null, null));
    }

    /** 405: the resource does not support the verb. */
    public static ApiException methodNotSupported(String group, String resource, String verb) {
        return failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                new Status.Details(null, group, resource, null, null, null));
    }

    /** 406: no acceptable representation. */
    public static ApiException notAcceptable(String accept) {
        return failure(406, "NotAcceptable",
                "the server was unable to respond with a content type that the client supports (" + accept + ")",
                null);
    }

    /** 410: a watch or list asked for history that has been compacted. */
    public static ApiException expired(String message) {
        return failure(410, "Expired", message, null);
    }

    /** 413: the body is over {@link #MAX_REQUEST_BYTES}. */
    public static ApiException requestTooLarge() {
        return failure(413, "RequestEntityTooLarge",
                "Request entity too large: limit is " + MAX_REQUEST_BYTES, null);
    }

    /** 415: the body's content type cannot be decoded. */
    public static ApiException unsupportedMediaType(String contentType) {
        return failure(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json, application/yaml, "
                + "application/vnd.kubernetes.protobuf (got " + contentType + ")", null);
    }

    /** 500: {@code Internal error occurred: <why>}. */
    public static ApiException internal(String why) {
        return failure(500, "InternalError", "Internal error occurred: " + why,
                new Status.Details(null, null, null, null,
                        List.of(new Status.Cause("UnexpectedServerResponse", why, null)), null));
    }

    /** 503 with a retry hint. */
    public static ApiException unavailable(String why, int retryAfterSeconds) {
        return failure(503, "ServiceUnavailable", why,
                new Status.Details(null, null, null, null, null, retryAfterSeconds));
    }
}
