package dev.skiff.server.nodeless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.admission.PodSelector;
import dev.skiff.node.ipam.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of the ECI Profile ConfigMap ({@code kube-system/eci-profile}) the virtual nodes are generated from.
 *
 * <p>The ConfigMap holds ACK's documented keys ({@code vpcId}, {@code securityGroupId}, {@code vSwitchIds},
 * {@code selectors}, {@code enableClusterIp}, {@code enableLogController}, {@code enablePVCController},
 * {@code enablePrivateZone}, {@code featureGates}) plus two of Skiff's own, because on Alibaba Cloud the zone and
 * CIDR of a vSwitch come from the VPC API and here there is none:
 * <ul>
 *   <li>{@code regionId}: the region (default {@code local});</li>
 *   <li>{@code vSwitchNetworks}: a JSON object from vSwitch ID to {@code {"zone": ..., "cidr": ...}}. A vSwitch
 *       listed in {@code vSwitchIds} but missing here gets the zone {@code <region>-<suffix>} (the ID's last
 *       dash-separated part) and the CIDR {@code 10.<100+i>.0.0/16} (i its position).</li>
 * </ul>
 *
 * <p>{@code selectors} ({@link ProfileSelectors}) become the API server's pod admission selectors.
 *
 * @param region    the region ID
 * @param vSwitches the vSwitches in {@code vSwitchIds} order
 * @param selectors the pod selectors, in the profile's order
 */
public record EciProfile(String region, List<VSwitch> vSwitches, List<PodSelector> selectors) {

    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "eci-profile";

    private static final ObjectMapper JSON = new ObjectMapper();

    public EciProfile {
        vSwitches = List.copyOf(vSwitches);
        selectors = List.copyOf(selectors);
    }

    /** A profile without selectors. */
    public EciProfile(String region, List<VSwitch> vSwitches) {
        this(region, vSwitches, List.of());
    }

    /** The data Skiff bootstraps the ConfigMap with: two local zones, every ECI switch at ACK's default. */
    public static Map<String, String> defaults() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("vpcId", "vpc-local");
        data.put("securityGroupId", "sg-local");
        data.put("vSwitchIds", "vsw-local-a,vsw-local-b");
        data.put("selectors", "[]");
        data.put("enableClusterIp", "true");
        data.put("enableLogController", "false");
        data.put("enablePVCController", "false");
        data.put("enablePrivateZone", "false");
        data.put("featureGates", "");
        data.put("regionId", "local");
        data.put("vSwitchNetworks", "{\"vsw-local-a\":{\"zone\":\"local-a\",\"cidr\":\"10.1.0.0/16\"},"
                + "\"vsw-local-b\":{\"zone\":\"local-b\",\"cidr\":\"10.2.0.0/16\"}}");
        return data;
    }

    /**
     * Reads a ConfigMap's data.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static EciProfile parse(Map<String, String> data) {
        Map<String, String> d = data == null ? Map.of() : data;
        String region = d.getOrDefault("regionId", "").isBlank() ? "local" : d.get("regionId").trim();
        Set<String> ids = new LinkedHashSet<>();
        for (String id : d.getOrDefault("vSwitchIds", "").split(",")) {
            if (!id.isBlank()) {
                ids.add(id.trim());
            }
        }
        JsonNode networks;
        try {
            String raw = d.getOrDefault("vSwitchNetworks", "");
            networks = raw.isBlank() ? JSON.createObjectNode() : JSON.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("vSwitchNetworks: not a JSON object: " + e.getOriginalMessage());
        }
        if (!networks.isObject()) {
            throw new IllegalArgumentException("vSwitchNetworks: must be a JSON object of vSwitch ID to "
                    + "{\"zone\", \"cidr\"}");
        }
        List<VSwitch> vSwitches = new ArrayList<>();
        Set<String> zones = new LinkedHashSet<>();
        int i = 0;
        for (String id : ids) {
            JsonNode n = networks.path(id);
            String suffix = id.substring(id.lastIndexOf('-') + 1);
            String zone = n.path("zone").asText(region + "-" + suffix);
            String cidrText = n.path("cidr").asText("10." + (100 + i) + ".0.0/16");
            Cidr cidr;
            try {
                cidr = Cidr.parse(cidrText);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("vSwitchNetworks: " + id + ": invalid cidr \"" + cidrText + "\"");
            }
            if (!zones.add(zone)) {
                // One virtual node per zone: its name is derived from the zone.
                throw new IllegalArgumentException("vSwitchIds: two vSwitches in zone " + zone);
            }
            vSwitches.add(new VSwitch(id, zone, cidr));
            i++;
        }
        return new EciProfile(region, vSwitches, ProfileSelectors.parse(d.get("selectors")));
    }
}
