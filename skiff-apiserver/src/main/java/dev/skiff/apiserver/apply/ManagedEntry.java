package dev.skiff.apiserver.apply;

/**
 * One {@code metadata.managedFields[]} entry: its manager, the API version its fields are in, when it last changed
 * the object (RFC 3339, seconds; may be empty when unknown) and the fields.
 */
public record ManagedEntry(ManagerId id, String apiVersion, String time, FieldSet fields) {

    public ManagedEntry {
        time = time == null ? "" : time;
    }

    ManagedEntry withFields(FieldSet next) {
        return new ManagedEntry(id, apiVersion, time, next);
    }
}
