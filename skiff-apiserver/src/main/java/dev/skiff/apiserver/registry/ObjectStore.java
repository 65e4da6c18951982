package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.Backend;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import dev.skiff.storage.WriteResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The generic store of Kubernetes objects over a {@link Backend}, mirroring kube-apiserver's generic registry:
 * <ul>
 *   <li>{@code metadata.resourceVersion} is the storage modRevision; it is never stored, only set on the way out;</li>
 *   <li>{@code uid} and {@code creationTimestamp} are set on create and kept across updates;</li>
 *   <li>updates are optimistic: a given resourceVersion must match (409 otherwise); without one, the update is
 *       re-applied to the latest state until it wins (upstream's GuaranteedUpdate);</li>
 *   <li>deleting an object with finalizers only sets {@code deletionTimestamp}; an update that removes the last
 *       finalizer of such an object deletes it, unless a grace period is running (graceful deletion of pods);</li>
 *   <li>watches translate storage events into ADDED/MODIFIED/DELETED, and a filtered watch reports objects moving
 *       into or out of its filter as ADDED or DELETED.</li>
 * </ul>
 * Thread-safe; blocking (storage calls block).
 */
public final class ObjectStore {

    private static final int MAX_UPDATE_ATTEMPTS = 64;

    private final Backend backend;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile ReadHook readHook = ReadHook.NONE;

    public ObjectStore(Backend backend, ObjectMapper json, Clock clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sets how objects are shaped on the way out of storage (see {@link ReadHook}); set once while wiring. */
    public void readHook(ReadHook hook) {
        this.readHook = java.util.Objects.requireNonNull(hook, "hook");
    }

    /**
     * The filter that accepts every object. Watches given this very instance skip work a filter would need (the
     * previous value of a put is never decoded for them).
     */
    public static final Predicate<ObjectNode> EVERYTHING = object -> true;

    /** The storage revision now: what a list or watch "from now" is consistent with. */
    public long currentRevision() {
        return backend.currentRevision();
    }

    /**
     * Stores a new object. The caller has set {@code metadata.name} (and namespace for namespaced types); this sets
     * uid, creationTimestamp and resourceVersion. 409 AlreadyExists if the name is taken.
     */
    public ObjectNode create(ResourceType type, ObjectNode object) {
        ObjectNode metadata = metadata(object);
        String name = metadata.path("name").asText("");
        String namespace = type.namespaced() ? metadata.path("namespace").asText("") : "";
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", timestamp());
        metadata.remove("resourceVersion");
        WriteResult result = backend.create(StorageKeys.objectKey(type, namespace, name), encode(object));
        return switch (result) {
            case WriteResult.Committed committed -> stored(type, object, committed.current());
            case WriteResult.KeyExists exists -> throw ApiException.alreadyExists(type.group(), type.plural(), name);
            default -> throw ApiException.internal("unexpected storage result " + result);
        };
    }

    /**
     * The revision at which {@code namespace/name} was last written, 0 if it does not exist: a read of the key
     * without decoding its value.
     */
    public long modRevision(ResourceType type, String namespace, String name) {
        KeyValue kv = backend.get(StorageKeys.objectKey(type, namespace, name)).kv();
        return kv == null ? 0 : kv.modRevision();
    }

    /** Whether objects of {@code type} leave storage exactly as stored (no {@link ReadHook} shapes them). */
    public boolean readAsStored(ResourceType type) {
        return !readHook.shapes(type);
    }

    /** Reads one object at the latest revision; 404 if absent. */
    public ObjectNode get(ResourceType type, String namespace, String name) {
        KeyValue kv = backend.get(StorageKeys.objectKey(type, namespace, name)).kv();
        if (kv == null) {
            throw ApiException.notFound(type.group(), type.plural(), name);
        }
        return decode(type, kv);
    }

    /**
     * Lists a collection page: {@code limit} 0 for all; {@code continueToken} from a previous page (its revision
     * wins); {@code revision} 0 for the latest. Items failing {@code filter} are skipped without ending the page
     * early, as upstream does when it fills a page.
     */
    public ObjectList list(ResourceType type, String namespace, int limit, String continueToken, long revision,
            Predicate<ObjectNode> filter) {
        String prefix = StorageKeys.collectionPrefix(type, namespace);
        long readAt = revision;
        String from = null;
        if (continueToken != null && !continueToken.isEmpty()) {
            ContinueToken token = ContinueToken.decode(continueToken);
            readAt = token.revision();
            from = prefix + token.start();
        }
        List<ObjectNode> items = new ArrayList<>();
        try {
            while (true) {
                int want = limit == 0 ? 0 : Math.max(limit - items.size(), 1);
                ListResult page = backend.list(KeyRange.prefix(prefix, from), readAt, want);
                readAt = page.revision();
                for (KeyValue kv : page.items()) {
                    ObjectNode object = decode(type, kv);
                    if (filter.test(object)) {
                        items.add(object);
                    }
                }
                if (!page.more()) {
                    return new ObjectList(items, readAt, null);
                }
                from = page.continueFrom();
                if (limit > 0 && items.size() >= limit) {
                    String start = from.substring(prefix.length());
                    return new ObjectList(items, readAt, new ContinueToken(readAt, start).encode());
                }
            }
        } catch (CompactedException e) {
            if (continueToken != null && !continueToken.isEmpty()) {
                throw ApiException.expired("The provided continue parameter is too old to display a consistent "
                        + "list result. You can start a new list without the continue parameter, or use the "
                        + "continue token in this response to retrieve the remainder of the results. Continuing "
                        + "with the provided token results in an inconsistent list - objects that were created, "
                        + "modified, or deleted between the time the first chunk was returned and now may show up "
                        + "in the list.");
            }
            throw ApiException.expired("too old resource version: " + revision + " (" + e.compactRevision() + ")");
        } catch (FutureRevisionException e) {
            throw ApiException.unavailable("Too large resource version: " + revision + ", current: "
                    + e.currentRevision(), 1);
        }
    }

    /**
     * Replaces an object with what {@code change} makes of the current one. If {@code expectedRevision} is
     * non-zero the current object must be at that revision (else 409); otherwise a lost race re-applies
     * {@code change} to the newer state. Identity (name, namespace, uid, creationTimestamp) is kept; if the result
     * is being deleted and has no finalizers left, it is deleted instead. Returns the stored object.
     */
    public ObjectNode update(ResourceType type, String namespace, String name, long expectedRevision,
            UnaryOperator<ObjectNode> change) {
        return update(type, namespace, name, expectedRevision, DeletionPolicy.DEFAULT, change);
    }

    /** {@link #update(ResourceType, String, String, long, UnaryOperator)} with a kind's finalizer rule. */
    public ObjectNode update(ResourceType type, String namespace, String name, long expectedRevision,
            DeletionPolicy policy, UnaryOperator<ObjectNode> change) {
        String key = StorageKeys.objectKey(type, namespace, name);
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            KeyValue currentKv = backend.get(key).kv();
            if (currentKv == null) {
                throw ApiException.notFound(type.group(), type.plural(), name);
            }
            if (expectedRevision != 0 && currentKv.modRevision() != expectedRevision) {
                throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
            }
            ObjectNode current = decode(type, currentKv);
            ObjectNode next = change.apply(current.deepCopy());
            keepIdentity(current, next);
            metadata(next).remove("resourceVersion");
            WriteResult result;
            if (policy.removesOnUpdate(next)) {
                result = backend.delete(key, currentKv.modRevision());
                if (result instanceof WriteResult.Committed committed) {
                    ObjectNode deleted = next;
                    metadata(deleted).put("resourceVersion", Long.toString(committed.revision()));
                    return deleted;
                }
            } else {
                result = backend.update(key, encode(next), currentKv.modRevision());
                if (result instanceof WriteResult.Committed committed) {
                    return stored(type, next, committed.current());
                }
            }
            if (result instanceof WriteResult.KeyMissing) {
                throw ApiException.notFound(type.group(), type.plural(), name);
            }
            if (expectedRevision != 0) {
                throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
            }
        }
        throw ApiException.conflict(type.group(), type.plural(), name,
                "too many concurrent updates; please try again");
    }

    /** What a delete did: removed the object, or only marked it (finalizers pending). */
    public record Deletion(ObjectNode object, boolean removed) {
    }

    /**
     * Deletes an object, honouring preconditions ({@code expectedUid}/{@code expectedRevision}, null/0 for none).
     * With finalizers present it sets {@code deletionTimestamp} instead and returns the marked object.
     */
    public Deletion delete(ResourceType type, String namespace, String name, String expectedUid,
            long expectedRevision) {
        return delete(type, namespace, name, expectedUid, expectedRevision, DeletionPolicy.DEFAULT);
    }

    /** {@link #delete(ResourceType, String, String, String, long)} with a kind's finalizer rule. */
    public Deletion delete(ResourceType type, String namespace, String name, String expectedUid,
            long expectedRevision, DeletionPolicy policy) {
        return delete(type, namespace, name, expectedUid, expectedRevision, policy, null);
    }

    /**
     * Deletes an object as upstream's generic registry does (its {@code BeforeDelete} and
     * {@code updateForGracefulDeletionAndFinalizers}), leaving the garbage-collector finalizers alone.
     */
    public Deletion delete(ResourceType type, String namespace, String name, String expectedUid,
            long expectedRevision, DeletionPolicy policy, Long gracePeriodSeconds) {
        return delete(type, namespace, name, expectedUid, expectedRevision, policy, gracePeriodSeconds,
                DeletePropagation.NONE);
    }

    /**
     * Deletes an object as upstream's generic registry does (its {@code BeforeDelete} and
     * {@code updateForGracefulDeletionAndFinalizers}):
     * <ul>
     *   <li>a kind with a {@link DeletionPolicy#gracePeriod()} that grants one is marked with
     *       {@code deletionTimestamp = now + grace} and {@code deletionGracePeriodSeconds = grace}; a grace of 0
     *       marks and then removes it at once (watchers see the mark, then the removal);</li>
     *   <li>an object already in its grace period only gets a shorter one (the timestamp moves earlier); a longer
     *       or no requested grace leaves it as it is, finalizers included;</li>
     *   <li>otherwise {@code propagation} first sets the garbage-collector finalizers ({@code orphan},
     *       {@code foregroundDeletion}), also on an object already marked; then pending finalizers mark it (grace 0,
     *       an earlier mark's timestamp kept) and anything else removes it.</li>
     * </ul>
     * A negative {@code gracePeriodSeconds} counts as 1 (upstream's rule); null means the client gave none.
     */
    public Deletion delete(ResourceType type, String namespace, String name, String expectedUid,
            long expectedRevision, DeletionPolicy policy, Long gracePeriodSeconds, DeletePropagation propagation) {
        Long requested = gracePeriodSeconds == null ? null : gracePeriodSeconds < 0 ? 1L : gracePeriodSeconds;
        String key = StorageKeys.objectKey(type, namespace, name);
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            KeyValue currentKv = backend.get(key).kv();
            if (currentKv == null) {
                throw ApiException.notFound(type.group(), type.plural(), name);
            }
            ObjectNode current = decode(type, currentKv);
            String uid = metadata(current).path("uid").asText();
            if (expectedUid != null && !expectedUid.isEmpty() && !expectedUid.equals(uid)) {
                throw ApiException.conflict(type.group(), type.plural(), name,
                        "Precondition failed: UID in precondition: " + expectedUid + ", UID in object meta: " + uid);
            }
            if (expectedRevision != 0 && expectedRevision != currentKv.modRevision()) {
                throw ApiException.conflict(type.group(), type.plural(), name,
                        "Precondition failed: ResourceVersion in precondition: " + expectedRevision
                                + ", ResourceVersion in object meta: " + currentKv.modRevision());
            }
            ObjectNode graced = graceful(current, policy, requested);
            if (graced == current) {
                // A graceful deletion is already running: upstream changes nothing, not even the finalizers.
                return new Deletion(current, false);
            }
            WriteResult result;
            if (graced != null) {
                withFinalizers(graced, propagation);
                metadata(graced).remove("resourceVersion");
                result = backend.update(key, encode(graced), currentKv.modRevision());
                if (result instanceof WriteResult.Committed committed) {
                    ObjectNode marked = decode(type, committed.current());
                    if (policy.pending().test(marked)
                            || metadata(marked).path("deletionGracePeriodSeconds").asLong(0) > 0) {
                        return new Deletion(marked, false);
                    }
                    // Grace 0 and nothing pending: the mark was the first phase; the removal follows (a lost race
                    // retries, and then finds the object marked with grace 0, which removes it).
                    result = backend.delete(key, committed.revision());
                    if (result instanceof WriteResult.Committed removed) {
                        metadata(marked).put("resourceVersion", Long.toString(removed.revision()));
                        return new Deletion(marked, true);
                    }
                }
            } else {
                ObjectNode next = current.deepCopy();
                boolean finalizersChanged = withFinalizers(next, propagation);
                if (policy.pending().test(next)) {
                    boolean marked = metadata(next).hasNonNull("deletionTimestamp");
                    if (marked && !finalizersChanged) {
                        return new Deletion(current, false);
                    }
                    if (!marked) {
                        next = policy.onMark().apply(next);
                        markAsDeleting(next);
                    }
                    metadata(next).remove("resourceVersion");
                    result = backend.update(key, encode(next), currentKv.modRevision());
                    if (result instanceof WriteResult.Committed committed) {
                        return new Deletion(decode(type, committed.current()), false);
                    }
                } else {
                    // Nothing pending, possibly because this delete took away the last garbage-collector finalizer
                    // of an object already marked (a Background delete after a Foreground one): it goes now.
                    result = backend.delete(key, currentKv.modRevision());
                    if (result instanceof WriteResult.Committed committed) {
                        metadata(next).put("resourceVersion", Long.toString(committed.revision()));
                        return new Deletion(next, true);
                    }
                }
            }
            if (result instanceof WriteResult.KeyMissing) {
                throw ApiException.notFound(type.group(), type.plural(), name);
            }
        }
        throw ApiException.conflict(type.group(), type.plural(), name,
                "too many concurrent updates; please try again");
    }

    /** Sets the finalizers {@code propagation} asks for; answers whether they changed. */
    private static boolean withFinalizers(ObjectNode object, DeletePropagation propagation) {
        ObjectNode meta = metadata(object);
        List<String> existing = new ArrayList<>();
        meta.path("finalizers").forEach(f -> existing.add(f.asText()));
        List<String> next = propagation.finalizers(existing);
        if (next == existing) {
            return false;
        }
        if (next.isEmpty()) {
            meta.remove("finalizers");
        } else {
            com.fasterxml.jackson.databind.node.ArrayNode array = meta.putArray("finalizers");
            next.forEach(array::add);
        }
        return true;
    }

    /**
     * Upstream's {@code markAsDeleting} for a kind without graceful deletion: {@code deletionTimestamp} now and
     * grace 0; the first mark moves a tracked generation on, since it changes what controllers may do.
     */
    private void markAsDeleting(ObjectNode object) {
        ObjectNode meta = metadata(object);
        long generation = meta.path("generation").asLong(0);
        if (generation > 0) {
            meta.put("generation", generation + 1);
        }
        meta.put("deletionTimestamp", timestamp());
        meta.put("deletionGracePeriodSeconds", 0);
    }

    /**
     * Upstream's {@code BeforeDelete}: the object marked (or re-marked with a shorter grace) when this delete is
     * graceful; {@code current} itself when a graceful deletion is already under way and this delete changes
     * nothing; null when the delete is not graceful.
     */
    private ObjectNode graceful(ObjectNode current, DeletionPolicy policy, Long requested) {
        ObjectNode meta = metadata(current);
        if (meta.hasNonNull("deletionTimestamp")) {
            long running = meta.path("deletionGracePeriodSeconds").asLong(0);
            if (running <= 0) {
                // Marked without grace (finalizers), or a mark whose removal failed: not graceful, so a delete
                // removes it once nothing is pending.
                return null;
            }
            if (requested == null || requested >= running) {
                return current;
            }
            ObjectNode next = current.deepCopy();
            Instant deadline = Instant.parse(meta.path("deletionTimestamp").asText())
                    .minusSeconds(running).plusSeconds(requested);
            metadata(next).put("deletionTimestamp", deadline.toString());
            metadata(next).put("deletionGracePeriodSeconds", requested);
            return next;
        }
        java.util.OptionalLong grace = policy.gracePeriod().of(current, requested);
        if (grace.isEmpty()) {
            return null;
        }
        ObjectNode next = policy.onMark().apply(current.deepCopy());
        ObjectNode nextMeta = metadata(next);
        nextMeta.put("deletionTimestamp",
                Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).plusSeconds(grace.getAsLong()).toString());
        nextMeta.put("deletionGracePeriodSeconds", grace.getAsLong());
        // The first mark changes what controllers may do with the object, so a tracked generation moves on.
        long generation = nextMeta.path("generation").asLong(0);
        if (generation > 0) {
            nextMeta.put("generation", generation + 1);
        }
        return next;
    }

    /**
     * Watches a collection after {@code afterRevision} (0: from now). Events go to {@code sink} one at a time; a
     * watch whose start has been compacted ends with 410 passed to {@code onEnd}.
     */
    public Watch watch(ResourceType type, String namespace, long afterRevision, Predicate<ObjectNode> filter,
            Consumer<ObjectEvent> sink, Consumer<ApiException> onEnd) {
        return watch(type, namespace, afterRevision, filter, sink, onEnd, revision -> { });
    }

    /**
     * {@link #watch(ResourceType, String, long, Predicate, Consumer, Consumer)} that also reports storage progress:
     * every event up to the revision given to {@code onProgress} has been passed to {@code sink}.
     */
    public Watch watch(ResourceType type, String namespace, long afterRevision, Predicate<ObjectNode> filter,
            Consumer<ObjectEvent> sink, Consumer<ApiException> onEnd, java.util.function.LongConsumer onProgress) {
        String prefix = StorageKeys.collectionPrefix(type, namespace);
        return backend.watch(KeyRange.prefix(prefix), afterRevision, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                ObjectEvent translated = translate(type, event, filter);
                if (translated != null) {
                    sink.accept(translated);
                }
            }

            @Override
            public void onProgress(long revision) {
                onProgress.accept(revision);
            }

            @Override
            public void onEnd(WatchEnd end) {
                onEnd.accept(switch (end) {
                    case WatchEnd.Compacted compacted -> ApiException.expired(
                            "too old resource version: " + afterRevision + " (" + compacted.compactRevision() + ")");
                    case WatchEnd.Cancelled cancelled -> null;
                    case WatchEnd.Failed failed -> ApiException.internal("watch failed: " + failed.cause());
                });
            }
        });
    }

    private ObjectEvent translate(ResourceType type, WatchEvent event, Predicate<ObjectNode> filter) {
        // An unfiltered watcher (the watch cache) needs the previous object only as a deletion's object: a put's
        // previous value is not parsed for it, which halves the JSON parsing of every update it follows.
        boolean previousNeeded = filter != EVERYTHING || event instanceof WatchEvent.Delete;
        ObjectNode previous = event.previous() == null || !previousNeeded ? null : decode(type, event.previous());
        boolean wasIn = filter == EVERYTHING ? event.previous() != null : previous != null && filter.test(previous);
        return switch (event) {
            case WatchEvent.Put put -> {
                ObjectNode current = decode(type, put.current());
                boolean isIn = filter.test(current);
                if (isIn) {
                    yield new ObjectEvent(wasIn ? ObjectEvent.Type.MODIFIED : ObjectEvent.Type.ADDED, current,
                            put.revision());
                }
                if (wasIn) {
                    metadata(current).put("resourceVersion", Long.toString(put.revision()));
                    yield new ObjectEvent(ObjectEvent.Type.DELETED, current, put.revision());
                }
                yield null;
            }
            case WatchEvent.Delete delete -> {
                if (!wasIn) {
                    yield null;
                }
                metadata(previous).put("resourceVersion", Long.toString(delete.revision()));
                yield new ObjectEvent(ObjectEvent.Type.DELETED, previous, delete.revision());
            }
        };
    }

    /** Decodes a stored object and stamps its resourceVersion. */
    public ObjectNode decode(KeyValue kv) {
        try {
            ObjectNode object = (ObjectNode) json.readTree(kv.value());
            metadata(object).put("resourceVersion", Long.toString(kv.modRevision()));
            return object;
        } catch (IOException | ClassCastException e) {
            throw ApiException.internal("cannot decode stored object " + kv.key() + ": " + e.getMessage());
        }
    }

    /**
     * What a read of a just-written object would return, without decoding the bytes written: {@code written} (the
     * tree that was encoded into {@code kv}) with its resourceVersion stamped and the read hook applied. Saves a
     * JSON parse per write, a seventh of a create's CPU in the API benchmark's profile.
     */
    private ObjectNode stored(ResourceType type, ObjectNode written, KeyValue kv) {
        metadata(written).put("resourceVersion", Long.toString(kv.modRevision()));
        return readHook.onRead(type, written);
    }

    /** Decodes a stored object of {@code type}, stamps its resourceVersion and applies the read hook. */
    private ObjectNode decode(ResourceType type, KeyValue kv) {
        return readHook.onRead(type, decode(kv));
    }

    private byte[] encode(ObjectNode object) {
        try {
            return json.writeValueAsBytes(object);
        } catch (IOException e) {
            throw ApiException.internal("cannot encode object: " + e.getMessage());
        }
    }

    private void keepIdentity(ObjectNode current, ObjectNode next) {
        ObjectNode was = metadata(current);
        ObjectNode now = metadata(next);
        for (String field : List.of("name", "namespace", "uid", "creationTimestamp")) {
            if (was.has(field)) {
                now.set(field, was.get(field));
            } else {
                now.remove(field);
            }
        }
        // Once set, deletionTimestamp cannot be cleared or moved by an update (upstream's rule).
        if (was.hasNonNull("deletionTimestamp")) {
            now.set("deletionTimestamp", was.get("deletionTimestamp"));
            if (was.has("deletionGracePeriodSeconds")) {
                now.set("deletionGracePeriodSeconds", was.get("deletionGracePeriodSeconds"));
            }
        } else {
            now.remove("deletionTimestamp");
            now.remove("deletionGracePeriodSeconds");
        }
    }

    /** The object's metadata, created if missing. */
    public static ObjectNode metadata(ObjectNode object) {
        JsonNode metadata = object.get("metadata");
        if (metadata instanceof ObjectNode node) {
            return node;
        }
        return object.putObject("metadata");
    }

    private String timestamp() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
