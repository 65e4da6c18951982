package dev.skiff.storage;

import java.util.List;

/**
 * One page of a range read.
 *
 * @param items    the keys in the range at {@code revision}, in key order, at most the requested limit
 * @param revision the store revision the page was read at; pass it back to read the next page consistently
 * @param more     whether keys remain in the range after the last item (continue from the next key)
 */
public record ListResult(List<KeyValue> items, long revision, boolean more) {

    public ListResult {
        items = List.copyOf(items);
    }

    /** The key to continue a paged list from: the smallest key after the last item. */
    public String continueFrom() {
        if (!more || items.isEmpty()) {
            return null;
        }
        return items.getLast().key() + "\u0001";
    }
}
