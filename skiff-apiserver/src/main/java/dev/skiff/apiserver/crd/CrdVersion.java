package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a CRD's {@code spec.versions}.
 *
 * @param name               e.g. "v1"
 * @param served             whether the version is served
 * @param storage            whether objects are stored in this version
 * @param deprecated         whether requests get a deprecation warning
 * @param deprecationWarning the warning to send instead of the default one, or null
 * @param schema             {@code schema.openAPIV3Schema}, or null
 * @param status             whether the status subresource is enabled
 * @param scale              the scale subresource, or null
 * @param columns            {@code additionalPrinterColumns}
 */
public record CrdVersion(String name, boolean served, boolean storage, boolean deprecated, String deprecationWarning,
        JsonNode schema, boolean status, ScaleSpec scale, List<PrinterColumn> columns) {

    public CrdVersion {
        columns = List.copyOf(columns);
    }

    static CrdVersion parse(JsonNode version) {
        List<PrinterColumn> columns = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(column -> columns.add(PrinterColumn.parse(column)));
        JsonNode subresources = version.path("subresources");
        JsonNode schema = version.path("schema").get("openAPIV3Schema");
        JsonNode warning = version.get("deprecationWarning");
        return new CrdVersion(version.path("name").asText(""), version.path("served").asBoolean(false),
                version.path("storage").asBoolean(false), version.path("deprecated").asBoolean(false),
                warning == null || warning.isNull() ? null : warning.asText(), schema,
                subresources.has("status"), ScaleSpec.parse(subresources.get("scale")), columns);
    }
}
