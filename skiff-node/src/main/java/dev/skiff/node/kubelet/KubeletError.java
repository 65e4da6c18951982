package dev.skiff.node.kubelet;

/**
 * A request the kubelet refuses before streaming: answered with {@code code} and {@code message} as plain text, as the
 * kubelet's restful handlers write errors (kube-apiserver turns that body into its Status message).
 */
final class KubeletError extends RuntimeException {

    private final int code;

    KubeletError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    static KubeletError notFound(String message) {
        return new KubeletError(404, message);
    }

    static KubeletError badRequest(String message) {
        return new KubeletError(400, message);
    }
}
