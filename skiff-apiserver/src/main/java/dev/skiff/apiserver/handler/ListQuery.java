package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.request.QueryFlags;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.selection.FieldSelector;
import dev.skiff.apiserver.selection.LabelSelector;
import dev.skiff.apiserver.selection.SelectableFields;
import dev.skiff.apiserver.selection.Selection;
import dev.skiff.apiserver.status.ApiException;

/**
 * The query parameters of list, watch and deletecollection requests, checked as upstream checks them.
 *
 * @param filter          label and field selector as one predicate
 * @param limit           page size, 0 for all
 * @param continueToken   continuation of a previous page, or null
 * @param resourceVersion the resourceVersion parameter ("" when absent)
 * @param timeoutSeconds  watch timeout, 0 for the server's default
 * @param sendInitialEvents the sendInitialEvents parameter, null when absent (upstream defaults it for watches)
 * @param resourceVersionMatch the resourceVersionMatch parameter ("" when absent)
 * @param allowBookmarks  allowWatchBookmarks
 */
record ListQuery(Selection filter, int limit, String continueToken, String resourceVersion,
        long timeoutSeconds, Boolean sendInitialEvents, String resourceVersionMatch, boolean allowBookmarks) {

    static ListQuery parse(Exchange exchange, ResourceType type, String fixedName) {
        LabelSelector labels = LabelSelector.parse(exchange.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(exchange.param("fieldSelector"), SelectableFields.of(type));
        Selection filter = new Selection(labels, fields, fixedName);
        int limit = (int) nonNegative(exchange.param("limit"), "limit");
        String continueToken = exchange.param("continue");
        String resourceVersion = exchange.param("resourceVersion");
        if (resourceVersion == null) {
            resourceVersion = "";
        }
        if (!resourceVersion.isEmpty()) {
            revision(resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty() && !resourceVersion.isEmpty()
                && !resourceVersion.equals("0")) {
            throw ApiException.badRequest("specifying resource version is not allowed when using continue");
        }
        long timeout = nonNegative(exchange.param("timeoutSeconds"), "timeoutSeconds");
        String sendInitialEvents = exchange.param("sendInitialEvents");
        String match = exchange.param("resourceVersionMatch");
        return new ListQuery(filter, limit, continueToken, resourceVersion, timeout,
                sendInitialEvents == null ? null : QueryFlags.isTrue(sendInitialEvents),
                match == null ? "" : match,
                QueryFlags.isTrue(exchange.param("allowWatchBookmarks")));
    }

    /** A resourceVersion as a revision; 400 with upstream's wording when it is not one. */
    static long revision(String resourceVersion) {
        try {
            long value = Long.parseLong(resourceVersion);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("resourceVersion: Invalid value: \"" + resourceVersion
                    + "\": strconv.ParseUint: parsing \"" + resourceVersion + "\": invalid syntax");
        }
    }

    private static long nonNegative(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be a non-negative integer");
        }
    }
}
