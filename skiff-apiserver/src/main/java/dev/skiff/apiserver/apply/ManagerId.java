package dev.skiff.apiserver.apply;

/**
 * Who owns a set of fields, as upstream's manager identifier: the manager name, the operation, the subresource
 * written through and, for updates only, the API version (an applier stays one manager across versions).
 */
public record ManagerId(String manager, Operation operation, String subresource, String apiVersion) {

    /** How the fields were written. */
    public enum Operation {
        APPLY("Apply"), UPDATE("Update");

        private final String wire;

        Operation(String wire) {
            this.wire = wire;
        }

        /** The spelling in {@code managedFields[].operation}. */
        public String wire() {
            return wire;
        }

        static Operation parse(String text) {
            for (Operation operation : values()) {
                if (operation.wire.equals(text)) {
                    return operation;
                }
            }
            throw new IllegalArgumentException("operation must be `Apply` or `Update`: " + text);
        }
    }

    public ManagerId {
        subresource = subresource == null ? "" : subresource;
        apiVersion = operation == Operation.APPLY || apiVersion == null ? "" : apiVersion;
    }

    public static ManagerId apply(String manager, String subresource) {
        return new ManagerId(manager, Operation.APPLY, subresource, "");
    }

    public static ManagerId update(String manager, String subresource, String apiVersion) {
        return new ManagerId(manager, Operation.UPDATE, subresource, apiVersion);
    }

    /**
     * How conflict messages name the manager, as upstream's printManager: {@code "kubectl"},
     * {@code "kubectl" with subresource "scale"}, {@code "kubectl-edit" using apps/v1} for updates.
     */
    public String describe() {
        StringBuilder out = new StringBuilder(quote(manager));
        if (!subresource.isEmpty()) {
            out.append(" with subresource ").append(quote(subresource));
        }
        if (operation == Operation.UPDATE) {
            out.append(" using ").append(apiVersion);
        }
        return out.toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
