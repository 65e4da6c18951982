package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.Responses;
import dev.skiff.apiserver.handler.TypeStrategies;
import dev.skiff.apiserver.handler.TypeStrategy;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.registry.ReadHook;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.table.Column;
import dev.skiff.apiserver.table.ColumnProvider;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The custom resources being served, as the rest of the server consults them on every request: their
 * {@link TypeStrategy} (and the CRD type's own {@link CrdStrategy}), the {@link ReadHook} that shapes them on the
 * way out of storage, and their printer columns. {@link CrdController} changes it; lookups never lock and cost one
 * set lookup for built-in types. Thread-safe.
 */
public final class CustomResources implements TypeStrategies, ReadHook, ColumnProvider {

    private record Key(String group, String version, String plural) {
        static Key of(ResourceType type) {
            return new Key(type.group(), type.version(), type.plural());
        }
    }

    private record Entry(CustomResourceStrategy strategy, List<Column> columns) {
    }

    private final Map<Key, Entry> served = new ConcurrentHashMap<>();
    private volatile Set<String> groups = Set.of();
    private final ObjectStore store;
    private final Responses responses;
    private final Clock clock;
    private final CrdStrategy definitions;

    public CustomResources(ObjectStore store, Responses responses, Clock clock) {
        this.store = store;
        this.responses = responses;
        this.clock = clock;
        this.definitions = new CrdStrategy(clock);
    }

    /** Serves exactly {@code versions} for the custom resource {@code group}/{@code plural}. */
    synchronized void serve(String group, String plural, List<ServedVersion> versions) {
        served.keySet().removeIf(key -> key.group().equals(group) && key.plural().equals(plural));
        for (ServedVersion version : versions) {
            served.put(Key.of(version.type()), new Entry(new CustomResourceStrategy(version, store, responses),
                    PrinterColumns.of(version.version(), clock)));
        }
        refreshGroups();
    }

    /** Stops serving the custom resource {@code group}/{@code plural}. */
    synchronized void unserve(String group, String plural) {
        served.keySet().removeIf(key -> key.group().equals(group) && key.plural().equals(plural));
        refreshGroups();
    }

    private void refreshGroups() {
        Set<String> now = new HashSet<>();
        served.keySet().forEach(key -> now.add(key.group()));
        groups = Set.copyOf(now);
    }

    private Entry lookup(ResourceType type) {
        return groups.contains(type.group()) ? served.get(Key.of(type)) : null;
    }

    @Override
    public TypeStrategy forType(ResourceType type) {
        if (type.group().equals(CrdValidation.GROUP) && type.plural().equals("customresourcedefinitions")) {
            return definitions;
        }
        Entry entry = lookup(type);
        return entry == null ? TypeStrategy.GENERIC : entry.strategy();
    }

    @Override
    public ObjectNode onRead(ResourceType type, ObjectNode object) {
        Entry entry = lookup(type);
        return entry == null ? object : entry.strategy().onRead(object);
    }

    @Override
    public boolean shapes(ResourceType type) {
        return lookup(type) != null;
    }

    @Override
    public Optional<List<Column>> columns(ResourceType type) {
        return Optional.ofNullable(lookup(type)).map(Entry::columns);
    }
}
