package dev.skiff.control.controller.statefulset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.control.controller.PodTemplateHash;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A StatefulSet's template history as ControllerRevisions, after upstream's {@code controller/history} package and
 * {@code newRevision}/{@code getPatch}/{@code ApplyRevision}/{@code truncateHistory} of the StatefulSet controller.
 *
 * <p>A revision's data is the strategic merge patch {@code {"spec":{"template":{...,"$patch":"replace"}}}}: this
 * is the shape {@code kubectl rollout undo} sends back to the StatefulSet, so it must be upstream's. The name is
 * {@code <set>-<hash>}, the hash being FNV-32a over the data (canonical JSON: keys sorted, nulls omitted; upstream
 * hashes its own JSON encoding, so the values differ but the shape and alphabet are the same) and the collision
 * count in decimal. Pure and thread-safe.
 */
public final class Revisions {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Upstream's {@code ControllerRevisionName} keeps the prefix within 223 characters. */
    private static final int MAX_PREFIX = 223;

    private Revisions() {
    }

    /** Upstream's {@code getPatch}: the set's template, marked to replace the whole template when applied. */
    public static JsonNode patch(StatefulSet set) {
        ObjectNode template = (ObjectNode) canonical(JSON.valueToTree(set.getSpec().getTemplate()));
        template.put("$patch", "replace");
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("spec").set("template", template);
        return canonical(data);
    }

    /** The revision's data as canonical JSON (whatever Java type the client decoded it into). */
    public static JsonNode data(ControllerRevision revision) {
        return canonical(JSON.valueToTree(revision.getData()));
    }

    /** The pod template a revision records: upstream's {@code ApplyRevision} for a full-template patch. */
    public static PodTemplateSpec template(ControllerRevision revision) {
        JsonNode template = data(revision).path("spec").path("template").deepCopy();
        if (template instanceof ObjectNode object) {
            object.remove("$patch");
        }
        return JSON.convertValue(template, PodTemplateSpec.class);
    }

    public static String hash(JsonNode data, int collisionCount) {
        int hash = PodTemplateHash.fnv32a(0x811c9dc5, bytes(data));
        hash = PodTemplateHash.fnv32a(hash, Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII));
        return PodTemplateHash.safeEncode(Integer.toUnsignedString(hash));
    }

    public static String name(String setName, String hash) {
        String prefix = setName.length() > MAX_PREFIX ? setName.substring(0, MAX_PREFIX) : setName;
        return prefix + "-" + hash;
    }

    /**
     * Upstream's {@code newRevision}: labels of the template plus the hash, the set's annotations (so
     * {@code kubernetes.io/change-cause} shows in {@code rollout history}), a controller reference to the set.
     */
    public static ControllerRevision newRevision(StatefulSet set, long revision, int collisionCount) {
        JsonNode data = patch(set);
        String hash = hash(data, collisionCount);
        Map<String, String> labels = new HashMap<>();
        if (set.getSpec().getTemplate().getMetadata() != null
                && set.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(set.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put(StatefulSets.REVISION_LABEL, hash);
        Map<String, String> annotations = set.getMetadata().getAnnotations() == null
                ? new HashMap<>() : new HashMap<>(set.getMetadata().getAnnotations());
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(name(set.getMetadata().getName(), hash))
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(StatefulSets.API_VERSION)
                        .withKind(StatefulSets.KIND).withName(set.getMetadata().getName())
                        .withUid(set.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withData(JSON.convertValue(data, Map.class))
                .withRevision(revision)
                .build();
    }

    /** Upstream's {@code SortControllerRevisions}: by revision number, then creation time, then name. */
    public static List<ControllerRevision> sorted(List<ControllerRevision> revisions) {
        List<ControllerRevision> result = new ArrayList<>(revisions);
        result.sort(Comparator.comparingLong(Revisions::number)
                .thenComparing(r -> r.getMetadata().getCreationTimestamp() == null
                        ? "" : r.getMetadata().getCreationTimestamp())
                .thenComparing(r -> r.getMetadata().getName()));
        return result;
    }

    public static long number(ControllerRevision revision) {
        return revision.getRevision() == null ? 0 : revision.getRevision();
    }

    /** One past the highest revision number (1 for an empty history). */
    public static long next(List<ControllerRevision> sorted) {
        return sorted.isEmpty() ? 1 : number(sorted.get(sorted.size() - 1)) + 1;
    }

    /**
     * Upstream's {@code EqualRevision}: the same data. (Upstream also compares numeric hash labels first; its labels
     * are safe-encoded and never parse as numbers, so in effect the data decides there too.)
     */
    public static boolean equal(ControllerRevision a, ControllerRevision b) {
        return data(a).equals(data(b));
    }

    /** What the history must do for the set's current template. */
    public sealed interface Decision {
        /** The newest revision already records the template. */
        record Unchanged(ControllerRevision revision) implements Decision {
        }

        /** An older revision records it (a rollback): it becomes the newest by taking the next number. */
        record Renumber(ControllerRevision revision, long number) implements Decision {
        }

        /** No revision records it: create this one. */
        record Create(ControllerRevision revision) implements Decision {
        }
    }

    /** Upstream's {@code getStatefulSetRevisions} choice of the update revision. */
    public static Decision decide(StatefulSet set, List<ControllerRevision> sorted, int collisionCount) {
        ControllerRevision wanted = newRevision(set, next(sorted), collisionCount);
        ControllerRevision lastEqual = null;
        for (ControllerRevision revision : sorted) {
            if (equal(revision, wanted)) {
                lastEqual = revision;
            }
        }
        if (lastEqual == null) {
            return new Decision.Create(wanted);
        }
        if (lastEqual == sorted.get(sorted.size() - 1)) {
            return new Decision.Unchanged(lastEqual);
        }
        return new Decision.Renumber(lastEqual, next(sorted));
    }

    /**
     * Upstream's {@code truncateHistory}: revisions not live (not the current or update revision, no pod at them),
     * oldest first, beyond {@code revisionHistoryLimit}.
     */
    public static List<ControllerRevision> toPrune(List<ControllerRevision> sorted, Set<String> live, int limit) {
        List<ControllerRevision> history = new ArrayList<>();
        for (ControllerRevision revision : sorted) {
            if (!live.contains(revision.getMetadata().getName())) {
                history.add(revision);
            }
        }
        if (history.size() <= limit) {
            return List.of();
        }
        return List.copyOf(history.subList(0, history.size() - limit));
    }

    /**
     * Keys sorted, nulls dropped, numbers as the JSON parser reads them (a model's {@code Long} and the same value
     * decoded from the server must compare equal): equal content gives equal trees and bytes.
     */
    static JsonNode canonical(JsonNode node) {
        try {
            return sortedWithoutNulls(JSON.readTree(JSON.writeValueAsBytes(node)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("revision data does not serialize", e);
        }
    }

    private static JsonNode sortedWithoutNulls(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    fields.put(e.getKey(), sortedWithoutNulls(e.getValue()));
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sortedWithoutNulls(child)));
            return out;
        }
        return node;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("revision data does not serialize", e);
        }
    }
}
