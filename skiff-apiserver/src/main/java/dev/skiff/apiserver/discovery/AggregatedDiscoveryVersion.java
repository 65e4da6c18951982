package dev.skiff.apiserver.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The versions of aggregated discovery ({@code apidiscovery.k8s.io}) a client may ask for on {@code /api} and
 * {@code /apis}, and the negotiation of the {@code Accept} header that picks one. kubectl v1.32 asks with
 * <pre>
 * application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
 * application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json
 * </pre>
 * and reads the answer's {@code Content-Type} to tell which form it got.
 */
public enum AggregatedDiscoveryVersion {
    V2("v2"),
    V2BETA1("v2beta1");

    /** The API group of aggregated discovery. */
    public static final String GROUP = "apidiscovery.k8s.io";
    /** The kind every aggregated answer has. */
    public static final String LIST_KIND = "APIGroupDiscoveryList";

    private final String version;

    AggregatedDiscoveryVersion(String version) {
        this.version = version;
    }

    /** "v2" or "v2beta1". */
    public String version() {
        return version;
    }

    /** The apiVersion of the answer, e.g. "apidiscovery.k8s.io/v2". */
    public String apiVersion() {
        return GROUP + "/" + version;
    }

    /** The Content-Type of the answer, e.g. "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList". */
    public String contentType() {
        return "application/json;g=" + GROUP + ";v=" + version + ";as=" + LIST_KIND;
    }

    /**
     * Which form a client accepts, from its {@code Accept} header: the aggregated version of the most preferred
     * media range that asks for one, or empty when the client should get the legacy JSON documents (plain
     * {@code application/json}, wildcards, an absent header, or nothing acceptable to Skiff, e.g. protobuf only).
     * Media ranges are taken by quality ({@code q}), ties in the client's order, as upstream's negotiation does.
     */
    public static Optional<AggregatedDiscoveryVersion> negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.empty();
        }
        for (MediaRange range : ranges(accept)) {
            if (range.quality() <= 0) {
                continue;
            }
            boolean json = range.type().equals("application/json") || range.type().equals("application/*")
                    || range.type().equals("*/*");
            if (!json) {
                continue;
            }
            String group = range.params().get("g");
            String as = range.params().get("as");
            if (group == null && as == null) {
                return Optional.empty();
            }
            if (GROUP.equals(group) && LIST_KIND.equals(as)) {
                String asked = range.params().get("v");
                for (AggregatedDiscoveryVersion candidate : values()) {
                    if (candidate.version.equals(asked)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private record MediaRange(String type, Map<String, String> params, double quality, int position) {
    }

    private static List<MediaRange> ranges(String accept) {
        List<MediaRange> ranges = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            String[] pieces = parts[i].split(";");
            String type = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            double quality = 1.0;
            for (int p = 1; p < pieces.length; p++) {
                int eq = pieces[p].indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = pieces[p].substring(0, eq).trim();
                String value = unquote(pieces[p].substring(eq + 1).trim());
                if (key.equalsIgnoreCase("q")) {
                    quality = parseQuality(value);
                } else {
                    params.put(key, value);
                }
            }
            ranges.add(new MediaRange(type, params, quality, i));
        }
        ranges.sort(Comparator.comparingDouble(MediaRange::quality).reversed()
                .thenComparingInt(MediaRange::position));
        return ranges;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static double parseQuality(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
