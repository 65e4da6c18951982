package dev.skiff.node.simulated;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What one simulated instance's processes do, read from its pod's annotations. Without any, containers run until
 * deleted and exit promptly (code 0) on SIGTERM; init containers complete at once.
 *
 * <table>
 * <caption>Annotations</caption>
 * <tr><th>annotation</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@code skiff.dev/simulated-exit-after}</td><td>containers exit after this long (Go duration:
 *     {@code 5s})</td><td>never</td></tr>
 * <tr><td>{@code skiff.dev/simulated-exit-code}</td><td>with this code (0-255)</td><td>0</td></tr>
 * <tr><td>{@code skiff.dev/simulated-init-exit-after}, {@code -init-exit-code}</td><td>the same for init
 *     containers</td><td>0s, 0</td></tr>
 * <tr><td>{@code skiff.dev/simulated-exit-after.NAME}, {@code -exit-code.NAME}</td><td>override both for the
 *     container called NAME</td><td></td></tr>
 * <tr><td>{@code skiff.dev/simulated-ignore-sigterm}</td><td>{@code "true"}: SIGTERM is ignored, so deletion takes
 *     the whole grace period and ends in a kill (137)</td><td>false</td></tr>
 * <tr><td>{@code skiff.dev/simulated-shutdown-after}</td><td>how long containers take to exit after SIGTERM (a kill
 *     at the end of the grace period comes first)</td><td>0s</td></tr>
 * <tr><td>{@code skiff.dev/simulated-ephemeral-storage[.NAME]}, {@code -log-bytes.NAME}</td><td>storage the
 *     containers occupy (see {@link SimulatedStorage})</td><td></td></tr>
 * </table>
 *
 * @param exitAfter     how long main containers run, or null for until deleted
 * @param initExitAfter how long init containers run
 */
public record SimulatedBehaviour(Duration exitAfter, int exitCode, Duration initExitAfter, int initExitCode,
                                 boolean ignoreSigterm, Duration shutdownAfter, Map<String, Duration> exitAfterOf,
                                 Map<String, Integer> exitCodeOf) {

    public static final String PREFIX = "skiff.dev/simulated-";
    public static final String EXIT_AFTER = PREFIX + "exit-after";
    public static final String EXIT_CODE = PREFIX + "exit-code";
    public static final String INIT_EXIT_AFTER = PREFIX + "init-exit-after";
    public static final String INIT_EXIT_CODE = PREFIX + "init-exit-code";
    public static final String IGNORE_SIGTERM = PREFIX + "ignore-sigterm";
    public static final String SHUTDOWN_AFTER = PREFIX + "shutdown-after";

    /** Shared by every instance without simulated annotations, so they cost no memory for this. */
    public static final SimulatedBehaviour DEFAULT = new SimulatedBehaviour(null, 0, Duration.ZERO, 0, false,
            Duration.ZERO, Map.of(), Map.of());

    public SimulatedBehaviour {
        exitAfterOf = Map.copyOf(exitAfterOf);
        exitCodeOf = Map.copyOf(exitCodeOf);
    }

    /**
     * Reads the annotations.
     *
     * @throws IllegalArgumentException naming the annotation and its value, if one cannot be understood
     */
    public static SimulatedBehaviour parse(Map<String, String> annotations) {
        if (annotations.keySet().stream().noneMatch(k -> k.startsWith(PREFIX))) {
            return DEFAULT;
        }
        Duration exitAfter = null;
        int exitCode = 0;
        Duration initExitAfter = Duration.ZERO;
        int initExitCode = 0;
        boolean ignoreSigterm = false;
        Duration shutdownAfter = Duration.ZERO;
        Map<String, Duration> exitAfterOf = new HashMap<>();
        Map<String, Integer> exitCodeOf = new HashMap<>();
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            if (SimulatedStorage.owns(key)) {
                SimulatedStorage.bytes(key, e.getValue()); // validated here, read when usage is asked
                continue;
            }
            String value = e.getValue();
            if (key.equals(EXIT_AFTER)) {
                exitAfter = duration(key, value);
            } else if (key.equals(EXIT_CODE)) {
                exitCode = code(key, value);
            } else if (key.equals(INIT_EXIT_AFTER)) {
                initExitAfter = duration(key, value);
            } else if (key.equals(INIT_EXIT_CODE)) {
                initExitCode = code(key, value);
            } else if (key.equals(IGNORE_SIGTERM)) {
                ignoreSigterm = bool(key, value);
            } else if (key.equals(SHUTDOWN_AFTER)) {
                shutdownAfter = duration(key, value);
            } else if (key.startsWith(EXIT_AFTER + ".") && key.length() > EXIT_AFTER.length() + 1) {
                exitAfterOf.put(key.substring(EXIT_AFTER.length() + 1), duration(key, value));
            } else if (key.startsWith(EXIT_CODE + ".") && key.length() > EXIT_CODE.length() + 1) {
                exitCodeOf.put(key.substring(EXIT_CODE.length() + 1), code(key, value));
            } else {
                throw new IllegalArgumentException("annotation " + key + " is not a known simulation setting");
            }
        }
        return new SimulatedBehaviour(exitAfter, exitCode, initExitAfter, initExitCode, ignoreSigterm, shutdownAfter,
                exitAfterOf, exitCodeOf);
    }

    /** How long the named container runs before exiting by itself, or null for until deleted. */
    public Duration runTime(String container, boolean init) {
        Duration specific = exitAfterOf.get(container);
        if (specific != null) {
            return specific;
        }
        return init ? initExitAfter : exitAfter;
    }

    /** The code the named container exits with when it exits by itself. */
    public int exitCode(String container, boolean init) {
        Integer specific = exitCodeOf.get(container);
        if (specific != null) {
            return specific;
        }
        return init ? initExitCode : exitCode;
    }

    private static Duration duration(String key, String value) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("annotation " + key + ": " + e.getMessage(), e);
        }
    }

    private static int code(String key, String value) {
        try {
            int code = Integer.parseInt(value.trim());
            if (code >= 0 && code <= 255) {
                return code;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("annotation " + key + ": '" + value + "' is not an exit code (0-255)");
    }

    private static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("annotation " + key + ": '" + value
                    + "' is not true or false");
        };
    }
}
