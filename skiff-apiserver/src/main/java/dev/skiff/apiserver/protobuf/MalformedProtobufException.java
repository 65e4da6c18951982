package dev.skiff.apiserver.protobuf;

/**
 * A request body that is not a well-formed Kubernetes protobuf object: wrong magic number, truncated or corrupt
 * wire data, a type (apiVersion and kind) this decoder has no schema for, or an encoding it does not support.
 * Callers answer 400 BadRequest with {@code "the body of the request was malformed: " + getMessage()}.
 */
public final class MalformedProtobufException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedProtobufException(String message) {
        super(message);
    }
}
