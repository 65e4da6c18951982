package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 409 of an apply that would change fields other managers own, as upstream's NewConflictError: reason
 * {@code Conflict}, one {@code FieldManagerConflict} cause per field, and a message kubectl prints as is, e.g.
 * {@code Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas}.
 */
public final class Conflicts {

    /** One field another manager owns. */
    public record Conflict(ManagerId manager, List<PathElement> path) {
    }

    private Conflicts() {
    }

    public static ApiException error(List<Conflict> conflicts) {
        List<Status.Cause> causes = new ArrayList<>();
        for (Conflict conflict : conflicts) {
            causes.add(new Status.Cause("FieldManagerConflict", "conflict with " + conflict.manager().describe(),
                    FieldSet.display(conflict.path())));
        }
        return new ApiException(new Status("Failure", message(conflicts), "Conflict",
                new Status.Details(null, null, null, null, causes, null), 409));
    }

    static String message(List<Conflict> conflicts) {
        if (conflicts.size() == 1) {
            Conflict only = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + only.manager().describe() + ": "
                    + FieldSet.display(only.path());
        }
        Map<String, List<Conflict>> byManager = new TreeMap<>();
        for (Conflict conflict : conflicts) {
            byManager.computeIfAbsent(conflict.manager().describe(), k -> new ArrayList<>()).add(conflict);
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<Conflict>> e : byManager.entrySet()) {
            lines.add("conflicts with " + e.getKey() + ":");
            e.getValue().forEach(c -> lines.add("- " + FieldSet.display(c.path())));
        }
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }
}
