package dev.skiff.node.cri.client;

import io.grpc.Status;

/** A CRI call failed; {@link #code()} says how (gRPC status), the message carries the runtime's words. */
public final class CriException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final String description;

    public CriException(String call, Status status) {
        super(call + ": " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()),
                status.getCause());
        this.code = status.getCode();
        this.description = status.getDescription() == null ? "" : status.getDescription();
    }

    /**
     * The error as the kubelet shows a CRI failure in pod statuses and events: the text of Go's gRPC status error,
     * {@code rpc error: code = NotFound desc = ...}.
     */
    public String grpcMessage() {
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return "rpc error: code = " + name + " desc = " + description;
    }

    public Status.Code code() {
        return code;
    }

    /** Whether the runtime could not be reached at all (daemon down), as opposed to refusing this one request. */
    public boolean unreachable() {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }
}
