package dev.skiff.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.status.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Upstream's validation of a pod's volumes and volume mounts ({@code ValidateVolumes}, {@code ValidateVolumeMounts}
 * in {@code pkg/apis/core/validation}), with its field paths and wording: volume names are DNS labels and unique,
 * each volume has exactly one source, every mount names an existing volume, has a unique mountPath, and its subPath
 * is relative without {@code ..}. Stateless.
 */
final class VolumeValidation {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> NOT_SOURCES = Set.of("name");

    private VolumeValidation() {
    }

    static void check(JsonNode spec, List<Status.Cause> causes) {
        Set<String> names = new HashSet<>();
        JsonNode volumes = spec.path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode v = volumes.get(i);
            String path = "spec.volumes[" + i + "]";
            String name = v.path("name").asText("");
            if (name.isEmpty()) {
                causes.add(new Status.Cause("FieldValueRequired", "Required value", path + ".name"));
            } else if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
                causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": a lowercase "
                        + "RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
                        + "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')", path + ".name"));
            } else if (!names.add(name)) {
                causes.add(new Status.Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"",
                        path + ".name"));
            }
            int sources = 0;
            for (var it = v.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!NOT_SOURCES.contains(field) && !v.path(field).isNull()) {
                    sources++;
                }
            }
            if (sources == 0) {
                causes.add(new Status.Cause("FieldValueRequired", "Required value: must specify a volume type",
                        path));
            } else if (sources > 1) {
                causes.add(new Status.Cause("FieldValueForbidden",
                        "Forbidden: may not specify more than 1 volume type", path));
            }
        }
        mounts(spec, "initContainers", names, causes);
        mounts(spec, "containers", names, causes);
    }

    private static void mounts(JsonNode spec, String kind, Set<String> volumes, List<Status.Cause> causes) {
        JsonNode list = spec.path(kind);
        for (int i = 0; i < list.size(); i++) {
            JsonNode mounts = list.get(i).path("volumeMounts");
            Set<String> paths = new HashSet<>();
            for (int m = 0; m < mounts.size(); m++) {
                JsonNode mount = mounts.get(m);
                String path = "spec." + kind + "[" + i + "].volumeMounts[" + m + "]";
                String name = mount.path("name").asText("");
                if (name.isEmpty()) {
                    causes.add(new Status.Cause("FieldValueRequired", "Required value", path + ".name"));
                } else if (!volumes.contains(name)) {
                    causes.add(new Status.Cause("FieldValueNotFound", "Not found: \"" + name + "\"",
                            path + ".name"));
                }
                String mountPath = mount.path("mountPath").asText("");
                if (mountPath.isEmpty()) {
                    causes.add(new Status.Cause("FieldValueRequired", "Required value", path + ".mountPath"));
                } else if (!paths.add(mountPath)) {
                    causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + mountPath
                            + "\": must be unique", path + ".mountPath"));
                }
                String subPath = mount.path("subPath").asText("");
                if (!subPath.isEmpty()) {
                    if (mount.path("subPathExpr").asText("").length() > 0) {
                        causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \""
                                + mount.path("subPathExpr").asText() + "\": subPathExpr and subPath are mutually "
                                + "exclusive", path + ".subPathExpr"));
                    }
                    relative(subPath, path + ".subPath", causes);
                }
            }
        }
    }

    /** Upstream's {@code validateLocalDescendingPath}. */
    private static void relative(String value, String field, List<Status.Cause> causes) {
        if (value.startsWith("/")) {
            causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + value
                    + "\": must be a relative path", field));
        }
        for (String part : value.split("/")) {
            if (part.equals("..")) {
                causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + value
                        + "\": must not contain '..'", field));
                return;
            }
        }
    }
}
