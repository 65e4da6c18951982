package dev.skiff.control.controller.batch;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule (minute, hour, day of month, month, day of week), as the CronJob controller
 * understands {@code spec.schedule} (upstream parses with robfig/cron's standard parser): {@code *} and {@code ?},
 * single values, ranges {@code a-b}, steps <code>*&#47;s</code>, <code>a-b&#47;s</code> and <code>a&#47;s</code> (from a to the field's maximum),
 * comma lists, month and weekday names ({@code JAN}, {@code MON}), 7 as another Sunday, and the descriptors
 * {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight} and
 * {@code @hourly}.
 *
 * <p>As in cron (and robfig), when both day of month and day of week are restricted a day matching <em>either</em>
 * is due; when one of them is {@code *} the other alone decides.
 *
 * <p>Immutable and thread-safe.
 */
public final class CronSchedule {

    /** How far {@link #next} searches before answering that the schedule never fires (e.g. "0 0 30 2 *"). */
    private static final int MAX_YEARS = 5;

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String text, Field[] fields) {
        this.text = text;
        this.minutes = fields[0].bits();
        this.hours = fields[1].bits();
        this.daysOfMonth = fields[2].bits();
        this.months = fields[3].bits();
        this.daysOfWeek = fields[4].bits();
        this.anyDayOfMonth = fields[2].star();
        this.anyDayOfWeek = fields[4].star();
    }

    /** One parsed field: the allowed values, and whether it was written as "any" ({@code *} or {@code ?}). */
    private record Field(BitSet bits, boolean star) {
    }

    /**
     * Parses a schedule.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static CronSchedule parse(String schedule) {
        if (schedule == null || schedule.isBlank()) {
            throw new IllegalArgumentException("empty spec string");
        }
        String text = schedule.trim();
        String expanded = text;
        if (text.startsWith("@")) {
            expanded = DESCRIPTORS.get(text.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + text);
            }
        }
        String[] parts = expanded.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + parts.length + ": " + text);
        }
        Field[] fields = {
            field(parts[0], 0, 59, List.of()),
            field(parts[1], 0, 23, List.of()),
            field(parts[2], 1, 31, List.of()),
            field(parts[3], 1, 12, MONTHS),
            field(parts[4], 0, 7, DAYS),
        };
        // 7 is another Sunday.
        if (fields[4].bits().get(7)) {
            fields[4].bits().set(0);
            fields[4].bits().clear(7);
        }
        return new CronSchedule(text, fields);
    }

    private static Field field(String expression, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        boolean star = false;
        for (String item : expression.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("empty list item in " + expression);
            }
            String[] rangeAndStep = item.split("/", -1);
            if (rangeAndStep.length > 2) {
                throw new IllegalArgumentException("too many slashes: " + item);
            }
            String range = rangeAndStep[0];
            int low;
            int high;
            boolean isStar = range.equals("*") || range.equals("?");
            if (isStar) {
                low = min;
                high = max == 7 ? 6 : max;
            } else {
                String[] bounds = range.split("-", -1);
                if (bounds.length > 2) {
                    throw new IllegalArgumentException("too many hyphens: " + item);
                }
                low = value(bounds[0], min, max, names);
                // "a/s" means from a to the end of the field.
                high = bounds.length == 2 ? value(bounds[1], min, max, names)
                        : rangeAndStep.length == 2 ? (max == 7 ? 6 : max) : low;
            }
            int step = 1;
            if (rangeAndStep.length == 2) {
                step = number(rangeAndStep[1], item);
                if (step <= 0) {
                    throw new IllegalArgumentException("step of range should be a positive number: " + item);
                }
            }
            if (low > high) {
                throw new IllegalArgumentException("beginning of range (" + low + ") beyond end of range ("
                        + high + "): " + item);
            }
            for (int v = low; v <= high; v += step) {
                bits.set(v);
            }
            star |= isStar && step == 1;
        }
        return new Field(bits, star);
    }

    private static int value(String token, int min, int max, List<String> names) {
        int index = names.indexOf(token.toUpperCase(Locale.ROOT));
        if (index >= 0) {
            return index + (names.size() == 12 ? 1 : 0);
        }
        int v = number(token, token);
        if (v < min || v > max) {
            throw new IllegalArgumentException("value " + v + " out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static int number(String token, String context) {
        if (token.isEmpty() || !token.chars().allMatch(Character::isDigit) || token.length() > 4) {
            throw new IllegalArgumentException("failed to parse int from " + token + " in " + context);
        }
        return Integer.parseInt(token);
    }

    /**
     * The first time strictly after {@code after} (whole minutes, in {@code after}'s zone) when the schedule fires,
     * or {@code null} if it never fires within five years.
     */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = after.plusYears(MAX_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(t.getZone());
            } else if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay(t.getZone());
            } else if (!hours.get(t.getHour())) {
                t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return text;
    }
}
