package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@code metadata.managedFields} and performs server-side apply, as kube-apiserver's field manager stack
 * (structured-merge-diff's Updater under the strip-meta, managed-fields-updater, cap-managers and
 * skip-non-applied layers):
 * <ul>
 *   <li>{@link #update}: a create, update or non-apply patch takes ownership of every field it adds or changes
 *       (other managers lose them) and fields it removes leave every manager; its own Update entry accumulates;</li>
 *   <li>{@link #apply}: the configuration is merged into the live object; fields the applier set last time and
 *       omits now are removed unless another manager owns them; changing a field another manager owns is a
 *       conflict (409) unless forced, which moves the field to the applier; the applier owns exactly its
 *       configuration's fields; kubectl's own manager may take fields its last client-side apply set
 *       ({@link LastApplied}).</li>
 * </ul>
 * Identity and bookkeeping fields (apiVersion, kind, metadata.name, uid, resourceVersion, ...) are never owned.
 * Thread-safe (stateless but for the clock); never blocks.
 */
public final class FieldManager {

    /** The Update manager an object's existing fields go to when it is first applied to (upstream's name). */
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    /** Paths no manager owns: upstream's stripMetaManager set. */
    static final FieldSet UNOWNED = FieldSet.of(List.of(
            List.of(PathElement.field("apiVersion")),
            List.of(PathElement.field("kind")),
            List.of(PathElement.field("metadata")),
            meta("name"), meta("namespace"), meta("creationTimestamp"), meta("selfLink"), meta("uid"),
            meta("clusterName"), meta("generation"), meta("managedFields"), meta("resourceVersion")));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Clock clock;

    public FieldManager(Clock clock) {
        this.clock = clock;
    }

    private static List<PathElement> meta(String field) {
        return List.of(PathElement.field("metadata"), PathElement.field(field));
    }

    /**
     * Records a non-apply write of {@code next} over {@code live} (null for a create) in {@code next}'s
     * managedFields. The managedFields the request carried are taken when they are valid and not empty (a client
     * editing them; {@code []} or {@code [{}]} resets them), else the live object's; through a subresource always
     * the live object's. An existing object without managedFields stays without (tracking resumes at the next
     * apply). If the object does not fit the shape, the live object's managedFields are kept, as upstream's
     * UpdateNoErrors.
     */
    public void update(ObjectNode live, ObjectNode next, Writer writer) {
        ObjectNode metadata = next.withObjectProperty("metadata");
        JsonNode requested = metadata.remove("managedFields");
        try {
            ManagedFields managed = base(live, requested, writer);
            if (managed.isEmpty() && live != null) {
                return;
            }
            Comparison comparison = Comparison.of(writer.scope().view(live), writer.scope().view(next),
                    writer.shape());
            FieldSet changed = comparison.changed().difference(UNOWNED);
            for (ManagedEntry entry : managed.entries()) {
                managed.put(entry.withFields(entry.fields().difference(changed).difference(comparison.removed())));
            }
            if (!changed.isEmpty()) {
                ManagerId id = ManagerId.update(writer.manager(), writer.subresource(), writer.apiVersion());
                ManagedEntry previous = managed.get(id);
                managed.put(new ManagedEntry(id, writer.apiVersion(), now(),
                        previous == null ? changed : previous.fields().union(changed)));
            }
            managed.capUpdateManagers();
            write(metadata, managed);
        } catch (StructureException | IllegalArgumentException e) {
            JsonNode kept = live == null ? null : live.path("metadata").get("managedFields");
            if (kept != null) {
                metadata.set("managedFields", kept.deepCopy());
            } else {
                metadata.remove("managedFields");
            }
        }
    }

    private static ManagedFields base(ObjectNode live, JsonNode requested, Writer writer) {
        if (writer.subresource().isEmpty()) {
            if (ManagedFields.isReset(requested)) {
                return ManagedFields.empty();
            }
            try {
                ManagedFields fromRequest = ManagedFields.decode(requested);
                if (!fromRequest.isEmpty()) {
                    return fromRequest;
                }
            } catch (IllegalArgumentException e) {
                // fall back to the live object's, so clients that mangle managedFields cannot lose them
            }
        }
        try {
            return ManagedFields.decode(live == null ? null : live.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            return ManagedFields.empty();
        }
    }

    /**
     * Applies {@code config} to {@code live} (null: the object does not exist yet) for {@code writer}. Returns the
     * new object, with its managedFields; neither argument is changed.
     *
     * @throws ApiException 409 on conflicts (unless {@code force}), 400 for a configuration that carries
     *                      managedFields or does not fit the shape
     */
    public ObjectNode apply(ObjectNode live, ObjectNode config, Writer writer, boolean force) {
        JsonNode sentManaged = config.path("metadata").get("managedFields");
        if (sentManaged != null && !sentManaged.isNull()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        ManagedFields managed;
        try {
            managed = ManagedFields.decode(live == null ? null : live.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            throw ApiException.internal("failed to decode managed fields: " + e.getMessage());
        }
        Shape shape = writer.shape();
        Scope scope = writer.scope();
        String now = now();
        try {
            ObjectNode liveView = scope.view(live);
            if (managed.isEmpty() && live != null) {
                // An object nobody tracked: its current fields go to one Update manager, so that the apply can
                // neither silently take them nor remove them.
                ManagerId before = ManagerId.update(BEFORE_FIRST_APPLY, writer.subresource(), writer.apiVersion());
                managed.put(new ManagedEntry(before, writer.apiVersion(), now,
                        FieldSets.of(liveView, shape, false).difference(UNOWNED)));
            }
            FieldSet configured = FieldSets.of(scope.view(config), shape, true);
            ObjectNode base = live == null ? NODES.objectNode() : live.deepCopy();
            base.withObjectProperty("metadata").remove("managedFields");
            ObjectNode merged = Merger.merge(base, config, shape);

            ManagerId applier = ManagerId.apply(writer.manager(), writer.subresource());
            ManagedEntry last = managed.get(applier);
            if (last != null) {
                FieldSet owned = configured;
                for (ManagedEntry entry : managed.entries()) {
                    if (!entry.id().equals(applier)) {
                        owned = owned.union(entry.fields());
                    }
                }
                FieldSet dropped = last.fields().withFieldsAsMembers()
                        .difference(owned.withFieldsAsMembers())
                        .difference(UNOWNED);
                Remover.remove(merged, dropped, shape);
            }

            Comparison comparison = Comparison.of(liveView, scope.view(merged), shape);
            FieldSet changed = comparison.changed().difference(UNOWNED);
            List<Conflicts.Conflict> conflicts = new ArrayList<>();
            for (ManagedEntry entry : managed.entries()) {
                if (entry.id().equals(applier)) {
                    continue;
                }
                for (List<PathElement> path : entry.fields().intersection(changed).paths()) {
                    conflicts.add(new Conflicts.Conflict(entry.id(), path));
                }
            }
            if (!conflicts.isEmpty() && !force && writer.manager().equals(LastApplied.KUBECTL)) {
                FieldSet allowed = LastApplied.allowedConflicts(live, writer);
                conflicts.removeIf(conflict -> allowed.contains(conflict.path()));
            }
            if (!conflicts.isEmpty() && !force) {
                throw Conflicts.error(conflicts);
            }
            for (ManagedEntry entry : managed.entries()) {
                if (!entry.id().equals(applier)) {
                    managed.put(entry.withFields(entry.fields().difference(changed)
                            .difference(comparison.removed())));
                }
            }
            boolean unchanged = comparison.added().isEmpty() && comparison.removed().isEmpty()
                    && comparison.modified().isEmpty();
            String time = unchanged && last != null ? last.time() : now;
            managed.put(new ManagedEntry(applier, writer.apiVersion(), time, configured.difference(UNOWNED)));
            write(merged.withObjectProperty("metadata"), managed);
            return merged;
        } catch (StructureException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static void write(ObjectNode metadata, ManagedFields managed) {
        if (managed.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            metadata.set("managedFields", managed.encode());
        }
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
