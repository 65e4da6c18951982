package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CRD's status as apiextensions' controllers keep it: the naming controller's {@code NamesAccepted} condition and
 * {@code acceptedNames} (a name another CRD of the group already accepted is a conflict: {@code "x" is already in
 * use}), the establishing controller's {@code Established}, the finalizer's {@code Terminating}, and
 * {@code storedVersions}. Conditions keep their {@code lastTransitionTime} while their status does not change.
 */
final class CrdStatus {

    /** Why a requested name cannot be accepted: the condition's reason and message. */
    record Conflict(String reason, String message) {
    }

    private CrdStatus() {
    }

    static boolean isTrue(JsonNode crd, String type) {
        for (JsonNode condition : crd.path("status").path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** Sets condition {@code type} in {@code status}, in place; the transition time moves only on a change. */
    static void setCondition(ObjectNode status, String type, String value, String reason, String message,
            Clock clock) {
        ArrayNode conditions = status.withArrayProperty("conditions");
        ObjectNode condition = null;
        for (JsonNode existing : conditions) {
            if (existing.path("type").asText().equals(type)) {
                condition = (ObjectNode) existing;
            }
        }
        if (condition == null) {
            condition = conditions.addObject();
        }
        String since = condition.path("status").asText().equals(value)
                ? condition.path("lastTransitionTime").asText(now(clock)) : now(clock);
        condition.removeAll();
        condition.put("type", type);
        condition.put("status", value);
        condition.put("lastTransitionTime", since);
        condition.put("reason", reason);
        condition.put("message", message);
    }

    private static String now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The first name of {@code crd} that is taken: by another CRD of its group (their accepted names) or by a
     * built-in resource ({@code builtins} holds "group/plural"); null when all names are free. A name this CRD has
     * already accepted stays its own.
     */
    static Conflict conflict(ObjectNode crd, List<ObjectNode> all, Set<String> builtins) {
        String name = crd.path("metadata").path("name").asText();
        String group = crd.path("spec").path("group").asText();
        CrdNames requested = CrdNames.parse(crd.path("spec").path("names"));
        CrdNames accepted = CrdNames.parse(crd.path("status").path("acceptedNames"));
        Set<String> resources = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (ObjectNode other : all) {
            if (other.path("metadata").path("name").asText().equals(name)
                    || !other.path("spec").path("group").asText().equals(group)) {
                continue;
            }
            CrdNames taken = CrdNames.parse(other.path("status").path("acceptedNames"));
            resources.add(taken.plural());
            resources.add(taken.singular());
            resources.addAll(taken.shortNames());
            kinds.add(taken.kind());
            kinds.add(taken.listKind());
        }
        if (builtins.contains(group + "/" + requested.plural())) {
            return inUse("PluralConflict", requested.plural());
        }
        if (taken(requested.plural(), accepted.plural(), resources)) {
            return inUse("PluralConflict", requested.plural());
        }
        if (taken(requested.singular(), accepted.singular(), resources)) {
            return inUse("SingularConflict", requested.singular());
        }
        for (String shortName : requested.shortNames()) {
            if (!accepted.shortNames().contains(shortName) && resources.contains(shortName)) {
                return inUse("ShortNamesConflict", shortName);
            }
        }
        if (taken(requested.kind(), accepted.kind(), kinds)) {
            return inUse("KindConflict", requested.kind());
        }
        if (taken(requested.listKind(), accepted.listKind(), kinds)) {
            return inUse("ListKindConflict", requested.listKind());
        }
        return null;
    }

    private static boolean taken(String requested, String accepted, Set<String> inUse) {
        return !requested.equals(accepted) && inUse.contains(requested);
    }

    private static Conflict inUse(String reason, String name) {
        return new Conflict(reason, "\"" + name + "\" is already in use");
    }

    /**
     * The status {@code crd} should have: names accepted unless {@code conflict}, established once
     * {@code served}, the storage version among the stored ones. Returns a new node.
     */
    static ObjectNode desired(ObjectNode crd, Conflict conflict, boolean served, Clock clock) {
        ObjectNode status = crd.path("status") instanceof ObjectNode existing
                ? existing.deepCopy() : crd.objectNode();
        if (conflict == null) {
            status.set("acceptedNames", CrdNames.parse(crd.path("spec").path("names")).toJson());
            setCondition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found", clock);
        } else {
            setCondition(status, "NamesAccepted", "False", conflict.reason(), conflict.message(), clock);
        }
        if (served) {
            setCondition(status, "Established", "True", "InitialNamesAccepted",
                    "the initial names have been accepted", clock);
        } else if (!isTrue(crd, "Established")) {
            setCondition(status, "Established", "False", "NotAccepted", "not all names are accepted", clock);
        }
        addStoredVersion(status, crd);
        return status;
    }

    /** Adds the storage version of {@code crd} to {@code status.storedVersions} if missing (in place). */
    static void addStoredVersion(ObjectNode status, JsonNode crd) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                ArrayNode stored = status.withArrayProperty("storedVersions");
                String name = version.path("name").asText();
                for (JsonNode existing : stored) {
                    if (existing.asText().equals(name)) {
                        return;
                    }
                }
                stored.add(name);
                return;
            }
        }
    }
}
