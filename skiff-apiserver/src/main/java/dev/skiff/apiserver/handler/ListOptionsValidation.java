package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's checks of the list options before a list or watch is served (apimachinery's
 * {@code ValidateListOptions}, with the WatchList feature on, as in v1.32): the combinations of resourceVersion,
 * resourceVersionMatch, sendInitialEvents and continue. A violation is a 422 for the kind {@code ListOptions} of group
 * {@code meta.k8s.io}, one cause per rule broken, in upstream's order.
 *
 * <p>Like upstream, {@code allowWatchBookmarks} is not required with {@code sendInitialEvents=true}: a watch-list that
 * does not allow bookmarks simply never receives the initial-events-end bookmark (upstream keeps it optional so that
 * older clients asking for initial events with resourceVersion "0" keep working).
 */
final class ListOptionsValidation {

    static final String NOT_OLDER_THAN = "NotOlderThan";
    static final String EXACT = "Exact";
    private static final String MATCH = "resourceVersionMatch";

    private ListOptionsValidation() {
    }

    /** The checks of a list (and deletecollection): throws 422 if any fails. */
    static void checkList(ListQuery query) {
        List<Status.Cause> causes = new ArrayList<>();
        String match = query.resourceVersionMatch();
        if (!match.isEmpty()) {
            if (query.resourceVersion().isEmpty()) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (hasContinue(query)) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!match.equals(EXACT) && !match.equals(NOT_OLDER_THAN)) {
                causes.add(notSupported(MATCH, match, List.of(EXACT, NOT_OLDER_THAN, "")));
            }
            if (match.equals(EXACT) && query.resourceVersion().equals("0")) {
                causes.add(forbidden(MATCH, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (query.sendInitialEvents() != null) {
            causes.add(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        failIfAny(causes);
    }

    /** The checks of a watch: throws 422 if any fails. */
    static void checkWatch(ListQuery query) {
        List<Status.Cause> causes = new ArrayList<>();
        String match = query.resourceVersionMatch();
        if (query.sendInitialEvents() != null && !match.equals(NOT_OLDER_THAN)) {
            causes.add(forbidden(MATCH, "sendInitialEvents requires setting resourceVersionMatch to " + NOT_OLDER_THAN));
        }
        if (!match.isEmpty()) {
            if (query.sendInitialEvents() == null) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is "
                        + "provided"));
            }
            if (!match.equals(NOT_OLDER_THAN)) {
                causes.add(notSupported(MATCH, match, List.of(NOT_OLDER_THAN)));
            }
            if (hasContinue(query)) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        failIfAny(causes);
    }

    /**
     * Whether a (valid) watch starts with the current state: as given, or, when sendInitialEvents is absent, for the
     * legacy resourceVersions "" and "0" (upstream's {@code SetListOptionsDefaults} with WatchList on).
     */
    static boolean sendsInitialEvents(ListQuery query) {
        if (query.sendInitialEvents() != null) {
            return query.sendInitialEvents();
        }
        return query.resourceVersionMatch().isEmpty()
                && (query.resourceVersion().isEmpty() || query.resourceVersion().equals("0"));
    }

    private static boolean hasContinue(ListQuery query) {
        return query.continueToken() != null && !query.continueToken().isEmpty();
    }

    private static Status.Cause forbidden(String field, String detail) {
        return new Status.Cause("FieldValueForbidden", "Forbidden: " + detail, field);
    }

    private static Status.Cause notSupported(String field, String value, List<String> supported) {
        StringBuilder message = new StringBuilder("Unsupported value: \"").append(value).append("\": supported values: ");
        for (int i = 0; i < supported.size(); i++) {
            message.append(i == 0 ? "" : ", ").append('"').append(supported.get(i)).append('"');
        }
        return new Status.Cause("FieldValueNotSupported", message.toString(), field);
    }

    private static void failIfAny(List<Status.Cause> causes) {
        if (!causes.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "ListOptions", "", causes);
        }
    }
}
