package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The merge of an applied configuration into a live object, and the removal of field sets, as tables. */
class MergerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            objects merge field by field      | {a: 1, b: {c: 1, d: 2}}           | {b: {c: 5}}                      | {a: 1, b: {c: 5, d: 2}}
            null removes a field              | {a: 1, b: 2}                      | {b: null}                        | {a: 1}
            atomic lists are replaced         | {args: [x, y]}                    | {args: [z]}                      | {args: [z]}
            atomic objects are replaced       | {selector: {a: 1, b: 2}}          | {selector: {c: 3}}               | {selector: {c: 3}}
            keyed items merge by key          | {env: [{name: A, value: '1'}, {name: B, value: '2'}]} | {env: [{name: B, value: '3'}]} | {env: [{name: A, value: '1'}, {name: B, value: '3'}]}
            new keyed items are appended      | {env: [{name: A}]}                | {env: [{name: C}]}               | {env: [{name: A}, {name: C}]}
            config order wins for shared items | {env: [{name: A}, {name: B}, {name: X}]} | {env: [{name: B}, {name: A}]} | {env: [{name: B}, {name: A}, {name: X}]}
            keyed items merge recursively     | {containers: [{name: c, image: a, env: [{name: E}]}]} | {containers: [{name: c, env: [{name: F}]}]} | {containers: [{name: c, image: a, env: [{name: E}, {name: F}]}]}
            key defaults identify items       | {ports: [{containerPort: 80, protocol: TCP, name: web}]} | {ports: [{containerPort: 80, hostPort: 8080}]} | {ports: [{containerPort: 80, protocol: TCP, name: web, hostPort: 8080}]}
            sets are unions                   | {tags: [a, b]}                    | {tags: [c, a]}                   | {tags: [c, a, b]}
            """)
    void mergeTable(String name, String live, String config, String expected) {
        ObjectNode merged = Merger.merge(Json.object(live), Json.object(config), Json.podLike());
        assertThat(merged).isEqualTo(Json.object(expected));
    }

    @Test
    void theConfigurationIsNotShared() {
        ObjectNode config = Json.object("{a: {b: [1]}}");
        ObjectNode merged = Merger.merge(Json.object("{}"), config, Json.podLike());
        ((ObjectNode) merged.get("a")).put("b", 2);
        assertThat(config).isEqualTo(Json.object("{a: {b: [1]}}"));
    }

    @Test
    void aConfigurationRepeatingAKeyOrMissingOneIsRefused() {
        assertThatThrownBy(() -> Merger.merge(Json.object("{}"), Json.object("{env: [{name: A}, {name: A}]}"),
                Json.podLike())).isInstanceOf(StructureException.class)
                .hasMessage(".env: duplicate entries for key [name=\"A\"]");
        assertThatThrownBy(() -> Merger.merge(Json.object("{}"), Json.object("{env: [{value: x}]}"),
                Json.podLike())).isInstanceOf(StructureException.class)
                .hasMessage(".env: element 0: associative list with keys has an element that omits key field "
                        + "\"name\" (and doesn't have default value)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a member field goes whole         | {a: {b: 1, c: 2}, d: 3}           | {"f:a":{}}                           | {d: 3}
            a path on the way is walked       | {a: {b: 1, c: 2}}                 | {"f:a":{"f:b":{}}}                   | {a: {c: 2}}
            a keyed item goes from its list   | {env: [{name: A}, {name: B}]}     | {"f:env":{"k:{\\"name\\":\\"A\\"}":{}}} | {env: [{name: B}]}
            a field of a keyed item           | {env: [{name: A, value: x}]}      | {"f:env":{"k:{\\"name\\":\\"A\\"}":{"f:value":{}}}} | {env: [{name: A}]}
            a set item                        | {tags: [a, b]}                    | {"f:tags":{"v:\\"b\\"":{}}}          | {tags: [a]}
            absent paths are ignored          | {a: 1}                            | {"f:z":{"f:y":{}}}                   | {a: 1}
            """)
    void removeTable(String name, String object, String fields, String expected) {
        ObjectNode target = Json.object(object);
        Remover.remove(target, FieldsV1.decode(Json.node(fields)), Json.podLike());
        assertThat(target).isEqualTo(Json.object(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            scalar changed   | {a: 1, b: 2}              | {a: 1, b: 3}               | {}                | {}              | {"f:b":{}}
            field added      | {a: 1}                    | {a: 1, c: {d: 1}}          | {"f:c":{"f:d":{}}} | {}             | {}
            field removed    | {a: 1, b: [1]}            | {a: 1}                     | {}                | {"f:b":{}}      | {}
            item added       | {env: [{name: A}]}        | {env: [{name: A}, {name: B, value: x}]} | {"f:env":{"k:{\\"name\\":\\"B\\"}":{".":{},"f:name":{},"f:value":{}}}} | {} | {}
            number spelling  | {a: 1}                    | {a: 1.0}                   | {}                | {}              | {}
            empty objects    | {a: {}}                   | {a: {}}                    | {}                | {}              | {}
            """)
    void compareTable(String name, String before, String after, String added, String removed, String modified) {
        Comparison comparison = Comparison.of(Json.object(before), Json.object(after), Json.podLike());
        assertThat(FieldsV1.encode(comparison.added())).as("added").isEqualTo(Json.node(added));
        assertThat(FieldsV1.encode(comparison.removed())).as("removed").isEqualTo(Json.node(removed));
        assertThat(FieldsV1.encode(comparison.modified())).as("modified").isEqualTo(Json.node(modified));
    }
}
