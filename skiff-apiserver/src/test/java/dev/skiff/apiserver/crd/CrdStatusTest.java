package dev.skiff.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrdStatusTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    private static ObjectNode accepted(ObjectNode crd) {
        crd.set("status", CrdStatus.desired(crd, null, true, CLOCK));
        return crd;
    }

    @Test
    void acceptedNamesConditionsAndStoredVersions() {
        ObjectNode crd = CrdValidationTest.crd(CrdValidationTest.GOOD);
        ObjectNode status = CrdStatus.desired(crd, null, true, CLOCK);
        assertThat(status.path("acceptedNames").path("kind").asText()).isEqualTo("Widget");
        assertThat(status.path("acceptedNames").path("shortNames").get(0).asText()).isEqualTo("wd");
        assertThat(status.path("storedVersions").toString()).isEqualTo("[\"v1\"]");
        assertThat(status.path("conditions").toString()).isEqualTo("[{\"type\":\"NamesAccepted\",\"status\":\"True\","
                + "\"lastTransitionTime\":\"2025-01-02T03:04:05Z\",\"reason\":\"NoConflicts\",\"message\":\"no "
                + "conflicts found\"},{\"type\":\"Established\",\"status\":\"True\",\"lastTransitionTime\":"
                + "\"2025-01-02T03:04:05Z\",\"reason\":\"InitialNamesAccepted\",\"message\":\"the initial names have "
                + "been accepted\"}]");
    }

    @Test
    void namesAnotherCrdOfTheGroupAcceptedConflict() {
        ObjectNode first = accepted(CrdValidationTest.crd(CrdValidationTest.GOOD));
        ObjectNode second = CrdValidationTest.crd(CrdValidationTest.GOOD.replace("widgets", "gizmos"));
        // The singular name defaults to the lowercased kind, and is checked before the kind, as upstream.
        assertThat(CrdStatus.conflict(second, List.of(first, second), Set.of()))
                .isEqualTo(new CrdStatus.Conflict("SingularConflict", "\"widget\" is already in use"));
        ((ObjectNode) second.path("spec").path("names")).put("singular", "gizmo").putArray("shortNames");
        assertThat(CrdStatus.conflict(second, List.of(first, second), Set.of()))
                .isEqualTo(new CrdStatus.Conflict("KindConflict", "\"Widget\" is already in use"));
        ObjectNode third = CrdValidationTest.crd(CrdValidationTest.GOOD.replace("widgets", "gizmos")
                .replace("kind: Widget", "kind: Gizmo"));
        assertThat(CrdStatus.conflict(third, List.of(first, third), Set.of()))
                .isEqualTo(new CrdStatus.Conflict("ShortNamesConflict", "\"wd\" is already in use"));
        ObjectNode otherGroup = CrdValidationTest.crd(CrdValidationTest.GOOD.replace("example.com", "example.org"));
        assertThat(CrdStatus.conflict(otherGroup, List.of(first, otherGroup), Set.of())).isNull();
        assertThat(CrdStatus.conflict(first, List.of(first), Set.of("example.com/widgets")))
                .isEqualTo(new CrdStatus.Conflict("PluralConflict", "\"widgets\" is already in use"));
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        ObjectNode crd = accepted(CrdValidationTest.crd(CrdValidationTest.GOOD));
        Clock later = Clock.offset(CLOCK, java.time.Duration.ofHours(1));
        ObjectNode again = CrdStatus.desired(crd, null, true, later);
        assertThat(again).isEqualTo(crd.get("status"));
        ObjectNode conflicted = CrdStatus.desired(crd, new CrdStatus.Conflict("KindConflict", "x"), true, later);
        assertThat(conflicted.path("conditions").get(0).path("lastTransitionTime").asText())
                .isEqualTo("2025-01-02T04:04:05Z");
        assertThat(conflicted.path("conditions").get(1).path("status").asText()).isEqualTo("True");
    }
}
