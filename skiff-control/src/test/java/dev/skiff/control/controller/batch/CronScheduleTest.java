package dev.skiff.control.controller.batch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cron parser: fields, lists, ranges, steps, names, descriptors, day-of-month/day-of-week, time zones. */
class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    /** 2026-01-01 is a Thursday. */
    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "* * * * *          | 2026-01-01T10:15:30Z | 2026-01-01T10:16Z",
        "* * * * *          | 2026-01-01T10:15:00Z | 2026-01-01T10:16Z",
        "*/15 * * * *       | 2026-01-01T10:15:00Z | 2026-01-01T10:30Z",
        "5 * * * *          | 2026-01-01T10:15:00Z | 2026-01-01T11:05Z",
        "0 9-17/4 * * *     | 2026-01-01T10:00:00Z | 2026-01-01T13:00Z",
        "0 9-17/4 * * *     | 2026-01-01T17:00:00Z | 2026-01-02T09:00Z",
        "30 2/6 * * *       | 2026-01-01T09:00:00Z | 2026-01-01T14:30Z",
        "0 0,12 * * *       | 2026-01-01T00:00:00Z | 2026-01-01T12:00Z",
        "0 0 1 * *          | 2026-01-01T00:00:00Z | 2026-02-01T00:00Z",
        "0 0 31 * *         | 2026-01-31T00:00:00Z | 2026-03-31T00:00Z",
        "0 0 29 2 *         | 2026-01-01T00:00:00Z | 2028-02-29T00:00Z",
        "0 0 * JAN,jul *    | 2026-02-01T00:00:00Z | 2026-07-01T00:00Z",
        "0 8 * * MON-FRI    | 2026-01-02T08:00:00Z | 2026-01-05T08:00Z",
        "0 8 * * 7          | 2026-01-01T00:00:00Z | 2026-01-04T08:00Z",
        "0 8 * * SUN        | 2026-01-01T00:00:00Z | 2026-01-04T08:00Z",
        "0 0 13 * FRI       | 2026-01-01T00:00:00Z | 2026-01-02T00:00Z",
        "0 0 */10 * 1       | 2026-01-01T00:00:00Z | 2026-01-05T00:00Z",
        "0 0 ? * 1          | 2026-01-01T00:00:00Z | 2026-01-05T00:00Z",
        "@hourly            | 2026-01-01T10:15:00Z | 2026-01-01T11:00Z",
        "@daily             | 2026-01-01T10:15:00Z | 2026-01-02T00:00Z",
        "@midnight          | 2026-01-01T10:15:00Z | 2026-01-02T00:00Z",
        "@weekly            | 2026-01-01T10:15:00Z | 2026-01-04T00:00Z",
        "@monthly           | 2026-01-01T10:15:00Z | 2026-02-01T00:00Z",
        "@yearly            | 2026-01-01T10:15:00Z | 2027-01-01T00:00Z",
        "@annually          | 2026-01-01T10:15:00Z | 2027-01-01T00:00Z",
    })
    void nextFiringTime(String schedule, String after, String expected) {
        ZonedDateTime next = CronSchedule.parse(schedule).next(ZonedDateTime.parse(after).withZoneSameInstant(UTC));
        assertThat(next.toInstant()).isEqualTo(ZonedDateTime.parse(expected).toInstant());
    }

    @Test
    void firesInTheScheduleTimeZoneAcrossDaylightSaving() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        CronSchedule daily = CronSchedule.parse("30 2 * * *");
        // 2026-03-29: clocks jump from 02:00 to 03:00, so 02:30 does not exist that day and the schedule moves on.
        ZonedDateTime next = daily.next(ZonedDateTime.parse("2026-03-28T12:00:00+01:00[Europe/Berlin]"));
        assertThat(next.withZoneSameInstant(berlin).toLocalDateTime().toString()).isIn("2026-03-29T03:30",
                "2026-03-30T02:30");
        ZonedDateTime morning = CronSchedule.parse("0 9 * * *")
                .next(ZonedDateTime.parse("2026-06-01T10:00:00Z").withZoneSameInstant(berlin));
        assertThat(morning.toInstant().toString()).isEqualTo("2026-06-02T07:00:00Z");
    }

    @Test
    void aScheduleThatNeverFiresHasNoNextTime() {
        assertThat(CronSchedule.parse("0 0 30 2 *").next(ZonedDateTime.parse("2026-01-01T00:00:00Z"))).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''                 | empty spec string",
        "* * * *            | expected exactly 5 fields",
        "* * * * * *        | expected exactly 5 fields",
        "60 * * * *         | out of range",
        "* 24 * * *         | out of range",
        "* * 0 * *          | out of range",
        "* * * 13 *         | out of range",
        "* * * * 8          | out of range",
        "5-1 * * * *        | beyond end of range",
        "*/0 * * * *        | positive number",
        "a * * * *          | failed to parse int",
        "1,,2 * * * *       | empty list item",
        "@every             | unrecognized descriptor",
    })
    void invalidSchedulesAreRefusedWithAReason(String schedule, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(schedule)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
