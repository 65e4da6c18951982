package dev.skiff.node.cri.client;

import io.grpc.Status;

/** A CRI call failed; {@link #code()} says how (gRPC status), the message carries the runtime's words. */
public final class CriException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    public CriException(String call, Status status) {
        super(call + ": " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()),
                status.getCause());
        this.code = status.getCode();
    }

    public Status.Code code() {
        return code;
    }

    /** Whether the runtime could not be reached at all (daemon down), as opposed to refusing this one request. */
    public boolean unreachable() {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }
}
