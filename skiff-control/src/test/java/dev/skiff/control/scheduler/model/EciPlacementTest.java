package dev.skiff.control.scheduler.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EciPlacementTest {

    @Test
    void parsesTheVSwitchListAndTheStrategyInEitherSpelling() {
        EciPlacement p = EciPlacement.of(Map.of(EciPlacement.VSWITCH_ANNOTATION, " vsw-b, vsw-a,,vsw-b ",
                EciPlacement.STRATEGY_ANNOTATION, "vSwitchOrdered"));
        assertThat(p.vSwitches()).containsExactly("vsw-b", "vsw-a");
        assertThat(p.strategy()).contains(EciPlacement.Strategy.VSWITCH_ORDERED);
        assertThat(EciPlacement.Strategy.parse("VSwitchRandom")).contains(EciPlacement.Strategy.VSWITCH_RANDOM);
        assertThat(EciPlacement.Strategy.parse("Spread")).isEmpty();
    }

    @Test
    void noAnnotationsMeansNoPlacementWish() {
        assertThat(EciPlacement.of(Map.of("other", "x"))).isEqualTo(EciPlacement.NONE);
        assertThat(EciPlacement.of(null)).isEqualTo(new EciPlacement(List.of(), Optional.empty()));
    }
}
