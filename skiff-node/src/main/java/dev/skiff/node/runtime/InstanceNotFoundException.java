package dev.skiff.node.runtime;

/** The instance named in a logs, exec or attach call does not exist (never created, or already gone). */
public final class InstanceNotFoundException extends InstanceRuntimeException {

    private final InstanceId id;

    public InstanceNotFoundException(InstanceId id) {
        super("instance " + id + " not found", null);
        this.id = id;
    }

    public InstanceId id() {
        return id;
    }
}
