package dev.skiff.control.controller.batch;

import java.util.BitSet;

/**
 * An Indexed Job's {@code status.completedIndexes}: the succeeded completion indexes written as sorted ranges,
 * {@code "1,3-5,7"} (upstream's {@code orderedIntervals} format). The status is the record of which indexes
 * succeeded, so a succeeded pod removed later is never run again.
 */
final class CompletedIndexes {

    private CompletedIndexes() {
    }

    /** Parses the text; indexes outside {@code [0, completions)} and malformed parts are ignored, as upstream. */
    static BitSet parse(String text, int completions) {
        BitSet indexes = new BitSet();
        if (text == null || text.isBlank()) {
            return indexes;
        }
        for (String part : text.split(",")) {
            String[] bounds = part.trim().split("-");
            try {
                int low = Integer.parseInt(bounds[0]);
                int high = bounds.length == 2 ? Integer.parseInt(bounds[1]) : low;
                if (bounds.length > 2 || low < 0 || high < low) {
                    continue;
                }
                indexes.set(low, Math.min(high, completions - 1) + 1);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // skip the malformed part
            }
        }
        return indexes;
    }

    /** Formats the set; {@code ""} when empty (upstream then omits the field). */
    static String format(BitSet indexes) {
        StringBuilder text = new StringBuilder();
        int low = indexes.nextSetBit(0);
        while (low >= 0) {
            int high = indexes.nextClearBit(low) - 1;
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(low);
            if (high > low) {
                text.append('-').append(high);
            }
            low = indexes.nextSetBit(high + 1);
        }
        return text.toString();
    }
}
