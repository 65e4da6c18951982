package dev.skiff.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.status.ApiException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {

    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "replicas", "3",
            "example.com/team", "a");

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        app=web                       | true
        app==web                      | true
        app!=web                      | false
        app=db                        | false
        app                           | true
        !app                          | false
        !missing                      | true
        app in (web, db)              | true
        app notin (web,db)            | false
        tier notin (back)             | true
        app=web,tier=front            | true
        app=web, tier in (back,x)     | false
        replicas>2                    | true
        replicas<2                    | false
        example.com/team=a            | true
        missing!=x                    | true
        ''                            | true
        """)
    void labelSelectorsMatchLikeUpstream(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        app=we b
        -bad=x
        app in (a
        replicas>x
        """)
    void badLabelSelectorsAreBadRequests(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void fieldSelectorsUseOnlySelectableFields() {
        Set<String> fields = Set.of("metadata.name", "spec.nodeName", "status.phase");
        FieldSelector selector = FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed", fields);
        Map<String, String> pod = Map.of("spec.nodeName", "n1", "status.phase", "Running");

        assertThat(selector.matches(pod::get)).isTrue();
        assertThat(FieldSelector.parse("spec.nodeName=", fields).matches(f -> null)).isTrue();
        assertThat(FieldSelector.parse("metadata.name=a\\,b", fields).matches(f -> "a,b")).isTrue();
        assertThatThrownBy(() -> FieldSelector.parse("spec.foo=x", fields))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("field label not supported: spec.foo");
                });
        assertThatThrownBy(() -> FieldSelector.parse("nonsense", fields)).isInstanceOf(ApiException.class);
    }
}
