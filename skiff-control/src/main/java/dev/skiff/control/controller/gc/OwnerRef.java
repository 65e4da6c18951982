package dev.skiff.control.controller.gc;

import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.List;

/** One {@code metadata.ownerReferences} entry, as the collector needs it. */
public record OwnerRef(String apiVersion, String kind, String name, String uid, boolean controller,
        boolean blockOwnerDeletion) {

    static List<OwnerRef> of(List<OwnerReference> refs) {
        if (refs == null) {
            return List.of();
        }
        return refs.stream().map(r -> new OwnerRef(r.getApiVersion(), r.getKind(), r.getName(), r.getUid(),
                Boolean.TRUE.equals(r.getController()), Boolean.TRUE.equals(r.getBlockOwnerDeletion()))).toList();
    }

    /** {@code Kind.group}, matched against {@link ResourceKind#groupKind()}. */
    public String groupKind() {
        String group = ResourceKind.groupOf(apiVersion);
        return group.isEmpty() ? kind : kind + "." + group;
    }
}
