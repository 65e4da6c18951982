package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The managed fields of one object: entries by manager. Decoded from and encoded to {@code metadata.managedFields}
 * in upstream's form and order (appliers first, then by time, manager, version, subresource). Not thread-safe: one
 * request's working copy.
 */
public final class ManagedFields {

    /** Upstream's DefaultMaxUpdateManagers: beyond this many update entries, the oldest are merged. */
    static final int MAX_UPDATE_MANAGERS = 10;
    /** The manager the merged oldest update entries are given (upstream's name). */
    static final String ANCIENT_CHANGES = "ancient-changes";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<ManagerId, ManagedEntry> entries = new LinkedHashMap<>();

    public static ManagedFields empty() {
        return new ManagedFields();
    }

    /**
     * Whether a written {@code metadata.managedFields} asks to drop the tracking: an empty list, or a list of one
     * empty entry (how {@code kubectl patch ... '{"metadata":{"managedFields":[{}]}}'} resets it upstream).
     */
    public static boolean isReset(JsonNode list) {
        if (list == null || !list.isArray()) {
            return false;
        }
        return list.isEmpty() || (list.size() == 1 && list.get(0).isObject() && list.get(0).isEmpty());
    }

    /**
     * Decodes {@code metadata.managedFields} (absent or null: empty).
     *
     * @throws IllegalArgumentException if it is not a valid list of entries
     */
    public static ManagedFields decode(JsonNode list) {
        ManagedFields managed = new ManagedFields();
        if (list == null || list.isNull() || list.isMissingNode()) {
            return managed;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        for (JsonNode entry : list) {
            if (!entry.isObject()) {
                throw new IllegalArgumentException("a managedFields entry must be an object");
            }
            String fieldsType = entry.path("fieldsType").asText("");
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("unsupported fieldsType: \"" + fieldsType + "\"");
            }
            ManagerId.Operation operation = ManagerId.Operation.parse(entry.path("operation").asText(""));
            String apiVersion = entry.path("apiVersion").asText("");
            ManagerId id = new ManagerId(entry.path("manager").asText(""), operation,
                    entry.path("subresource").asText(""), apiVersion);
            managed.entries.put(id, new ManagedEntry(id, apiVersion, entry.path("time").asText(""),
                    FieldsV1.decode(entry.get("fieldsV1"))));
        }
        return managed;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public ManagedEntry get(ManagerId id) {
        return entries.get(id);
    }

    public Collection<ManagedEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** Sets the entry of its manager; an entry with no fields removes it (upstream keeps no empty entries). */
    public void put(ManagedEntry entry) {
        if (entry.fields().isEmpty()) {
            entries.remove(entry.id());
        } else {
            entries.put(entry.id(), entry);
        }
    }

    public void remove(ManagerId id) {
        entries.remove(id);
    }

    /**
     * Merges the oldest update entries, per API version, into one {@code ancient-changes} entry until at most
     * {@link #MAX_UPDATE_MANAGERS} update entries are left, as upstream's capManagersManager.
     */
    public void capUpdateManagers() {
        List<ManagedEntry> updaters = new ArrayList<>();
        for (ManagedEntry entry : entries.values()) {
            if (entry.id().operation() == ManagerId.Operation.UPDATE) {
                updaters.add(entry);
            }
        }
        if (updaters.size() <= MAX_UPDATE_MANAGERS) {
            return;
        }
        updaters.sort(Comparator.comparingLong((ManagedEntry e) -> seconds(e.time()))
                .thenComparing(e -> e.id().manager()));
        Map<String, ManagerId> firstOfVersion = new LinkedHashMap<>();
        int count = updaters.size();
        for (int i = 0; i < updaters.size() && count > MAX_UPDATE_MANAGERS; i++) {
            ManagedEntry entry = updaters.get(i);
            ManagerId bucket = ManagerId.update(ANCIENT_CHANGES, "", entry.apiVersion());
            ManagerId first = firstOfVersion.get(entry.apiVersion());
            if (first == null) {
                firstOfVersion.put(entry.apiVersion(), entry.id());
                continue;
            }
            ManagedEntry bucketEntry = entries.get(bucket);
            if (bucketEntry == null) {
                ManagedEntry firstEntry = entries.remove(first);
                bucketEntry = new ManagedEntry(bucket, entry.apiVersion(), firstEntry.time(), firstEntry.fields());
            }
            entries.remove(entry.id());
            entries.put(bucket, new ManagedEntry(bucket, entry.apiVersion(), entry.time(),
                    bucketEntry.fields().union(entry.fields())));
            count--;
        }
    }

    /** The {@code metadata.managedFields} list, in upstream's order. */
    public ArrayNode encode() {
        List<ManagedEntry> sorted = new ArrayList<>(entries.values());
        sorted.sort(Comparator.comparing((ManagedEntry e) -> e.id().operation().wire())
                .thenComparingLong(e -> seconds(e.time()))
                .thenComparing(e -> e.id().manager())
                .thenComparing(ManagedEntry::apiVersion)
                .thenComparing(e -> e.id().subresource()));
        ArrayNode list = NODES.arrayNode();
        for (ManagedEntry entry : sorted) {
            ObjectNode out = list.addObject();
            out.put("manager", entry.id().manager());
            out.put("operation", entry.id().operation().wire());
            out.put("apiVersion", entry.apiVersion());
            if (!entry.time().isEmpty()) {
                out.put("time", entry.time());
            }
            out.put("fieldsType", "FieldsV1");
            out.set("fieldsV1", FieldsV1.encode(entry.fields()));
            if (!entry.id().subresource().isEmpty()) {
                out.put("subresource", entry.id().subresource());
            }
        }
        return list;
    }

    private static long seconds(String time) {
        if (time.isEmpty()) {
            return 0;
        }
        try {
            return Instant.parse(time).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
