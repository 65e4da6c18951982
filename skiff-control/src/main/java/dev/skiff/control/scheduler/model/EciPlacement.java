package dev.skiff.control.scheduler.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's Elastic Container Instance placement wishes (seed 000, "Pod configurations"; seed 004, networking).
 *
 * <ul>
 *   <li>{@value #VSWITCH_ANNOTATION}: comma-separated vSwitch ids the pod's ENI may come from. In Skiff every
 *       vSwitch is one virtual node, labelled {@value #VSWITCH_LABEL} (and {@value #ZONE_LABEL} with its zone), so
 *       the list restricts the pod to those virtual nodes.</li>
 *   <li>{@value #STRATEGY_ANNOTATION}: {@code VSwitchOrdered} (the first listed vSwitch with room wins) or
 *       {@code VSwitchRandom} (any listed vSwitch with room, at random). Spelling is case-insensitive: the product
 *       documents both {@code vSwitchOrdered} and {@code VSwitchOrdered}.</li>
 * </ul>
 *
 * @param vSwitches the pod's vSwitch list in the pod's order (empty when the annotation is absent)
 * @param strategy  the requested strategy, if any (an unknown value counts as absent)
 */
public record EciPlacement(List<String> vSwitches, Optional<Strategy> strategy) {

    public static final String VSWITCH_ANNOTATION = "k8s.aliyun.com/eci-vswitch";
    public static final String STRATEGY_ANNOTATION = "k8s.aliyun.com/eci-schedule-strategy";
    /** The label carrying a virtual node's vSwitch id (Skiff's own name: one virtual node per vSwitch). */
    public static final String VSWITCH_LABEL = "k8s.aliyun.com/vswitch-id";
    /** The well-known zone label, which virtual nodes carry for their vSwitch's zone. */
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    public static final EciPlacement NONE = new EciPlacement(List.of(), Optional.empty());

    /** The multi-zone scheduling strategies. */
    public enum Strategy {
        /** Try the vSwitches in the order listed. */
        VSWITCH_ORDERED,
        /** Pick any listed vSwitch at random. */
        VSWITCH_RANDOM;

        public static Optional<Strategy> parse(String value) {
            if (value == null) {
                return Optional.empty();
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "vswitchordered" -> Optional.of(VSWITCH_ORDERED);
                case "vswitchrandom" -> Optional.of(VSWITCH_RANDOM);
                default -> Optional.empty();
            };
        }
    }

    public EciPlacement {
        vSwitches = List.copyOf(vSwitches);
    }

    public static EciPlacement of(Map<String, String> annotations) {
        if (annotations == null || annotations.isEmpty()) {
            return NONE;
        }
        String list = annotations.get(VSWITCH_ANNOTATION);
        Optional<Strategy> strategy = Strategy.parse(annotations.get(STRATEGY_ANNOTATION));
        if (list == null && strategy.isEmpty()) {
            return NONE;
        }
        return new EciPlacement(parseList(list), strategy);
    }

    /** Splits a comma-separated vSwitch list, trimming blanks and dropping duplicates (first wins). */
    public static List<String> parseList(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    public boolean restrictsVSwitches() {
        return !vSwitches.isEmpty();
    }
}
