package dev.skiff.control.controller.endpoint;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Table tests of how endpoints are spread over slices. Notation, with at most three endpoints per slice: a slice is
 * {@code name=port:endpoints} (endpoints are single letters, {@code _} for none), slices separated by spaces;
 * desired endpoints are {@code port:letters} groups. The plan prints as
 * {@code create[...] update[...] delete[...] keep[...]}.
 */
class SlicePlannerTest {

    private static final int MAX = 3;

    @ParameterizedTest(name = "{0}: existing \"{1}\", desired \"{2}\"")
    @CsvSource(delimiter = '|', value = {
            "first sync fills slices of at most three       | ''                  | 80:abcdefg | create[80:abc, 80:def, 80:g] update[] delete[] keep[]",
            "nothing changed                                | s1=80:abc s2=80:d   | 80:abcd    | create[] update[] delete[] keep[s1, s2]",
            "a replaced endpoint reuses the freed place      | s1=80:abc           | 80:abd     | create[] update[s1=80:abd] delete[] keep[]",
            "new endpoints fill a slice rewritten anyway     | s1=80:ab s2=80:c    | 80:bcxy    | create[] update[s1=80:bxy] delete[] keep[s2]",
            "the rest fits one unchanged slice: no new slice | s1=80:abc s2=80:d   | 80:abcde   | create[] update[s2=80:de] delete[] keep[s1]",
            "the rest does not fit: a new slice             | s1=80:abc s2=80:de  | 80:abcdexy | create[80:xy] update[] delete[] keep[s1, s2]",
            "a slice left empty is deleted                  | s1=80:abc s2=80:d   | 80:abc     | create[] update[] delete[s2] keep[s1]",
            "a port change replaces the slices              | s1=80:ab            | 81:ab      | create[81:ab] update[] delete[s1] keep[]",
            "two port lists, two slices                     | s1=80:ab            | 80:ab 81:c | create[81:c] update[] delete[] keep[s1]",
            "no endpoints: an empty placeholder is created  | ''                  | ''         | create[-:_] update[] delete[] keep[]",
            "no endpoints: one slice becomes the placeholder | s1=80:ab s2=80:c    | ''         | create[] update[s1=-:_] delete[s2] keep[]",
            "no endpoints: an existing placeholder stays     | s1=80:a s2=-:_      | ''         | create[] update[] delete[s1] keep[s2]",
            "endpoints again: the placeholder goes           | s1=-:_              | 80:a       | create[80:a] update[] delete[s1] keep[]",
    })
    void plans(String description, String existing, String desired, String want) {
        SlicePlanner.Plan plan = SlicePlanner.plan(desired(desired), slices(existing), MAX);
        assertThat(render(plan)).isEqualTo(want);
    }

    private static Map<List<EndpointPort>, List<Endpoint>> desired(String spec) {
        Map<List<EndpointPort>, List<Endpoint>> desired = new LinkedHashMap<>();
        for (String group : spec.trim().isEmpty() ? new String[0] : spec.trim().split(" ")) {
            String[] parts = group.split(":");
            List<Endpoint> endpoints = new ArrayList<>();
            parts[1].chars().forEach(c -> endpoints.add(endpoint((char) c)));
            desired.put(ports(parts[0]), endpoints);
        }
        return desired;
    }

    private static List<EndpointSlice> slices(String spec) {
        List<EndpointSlice> slices = new ArrayList<>();
        for (String slice : spec.trim().isEmpty() ? new String[0] : spec.trim().split(" ")) {
            String name = slice.substring(0, slice.indexOf('='));
            String[] parts = slice.substring(name.length() + 1).split(":");
            List<Endpoint> endpoints = new ArrayList<>();
            if (!parts[1].equals("_")) {
                parts[1].chars().forEach(c -> endpoints.add(endpoint((char) c)));
            }
            slices.add(new EndpointSliceBuilder().withNewMetadata().withName(name).endMetadata()
                    .withAddressType("IPv4").withPorts(ports(parts[0])).withEndpoints(endpoints).build());
        }
        return slices;
    }

    private static List<EndpointPort> ports(String port) {
        return port.equals("-") ? List.of() : List.of(new EndpointPortBuilder().withName("http")
                .withPort(Integer.parseInt(port)).withProtocol("TCP").build());
    }

    private static Endpoint endpoint(char letter) {
        return new EndpointBuilder().withAddresses("10.0.0." + (int) letter).withNewConditions().withReady(true)
                .endConditions().withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName("" + letter)
                        .withUid("uid-" + letter).build()).build();
    }

    private static String render(SlicePlanner.Plan plan) {
        List<String> create = plan.create().stream().map(SlicePlannerTest::content).toList();
        Map<String, String> update = new TreeMap<>();
        plan.update().forEach((name, content) -> update.put(name, content(content)));
        List<String> updates = update.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return "create" + create + " update" + updates + " delete" + plan.delete().stream().sorted().toList()
                + " keep" + plan.keep().stream().sorted().toList();
    }

    private static String content(SlicePlanner.Content content) {
        String port = content.ports().isEmpty() ? "-" : content.ports().get(0).getPort().toString();
        StringBuilder letters = new StringBuilder();
        content.endpoints().forEach(e -> letters.append(e.getTargetRef().getName()));
        return port + ":" + (letters.isEmpty() ? "_" : letters.toString());
    }
}
