package dev.skiff.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionPriorityTest {

    @Test
    void kubeAwareOrder() {
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "foo", "v1", "v11alpha2", "v2beta1", "v1beta2",
                "v2", "bar", "v10", "v1beta1", "v12alpha1"));
        versions.sort(VersionPriority.HIGHEST_FIRST);
        assertThat(versions).containsExactly("v10", "v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v12alpha1",
                "v11alpha2", "v1alpha1", "bar", "foo");
    }
}
