package dev.skiff.node.agent.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {

    private static final Map<String, String> VARS = Map.of("A", "1", "B", "two");

    @Test
    void expandsDefinedVariablesAndKeepsEverythingElseAsUpstreamDoes() {
        assertThat(Expansion.expand("$(A)-$(B)", VARS::get)).isEqualTo("1-two");
        assertThat(Expansion.expand("$(MISSING)", VARS::get)).isEqualTo("$(MISSING)");
        assertThat(Expansion.expand("$$(A)", VARS::get)).isEqualTo("$(A)");
        assertThat(Expansion.expand("a$$b", VARS::get)).isEqualTo("a$b");
        assertThat(Expansion.expand("$A $", VARS::get)).isEqualTo("$A $");
        assertThat(Expansion.expand("x$(A", VARS::get)).isEqualTo("x$(A");
        assertThat(Expansion.expand("$()", VARS::get)).isEqualTo("$()");
    }
}
