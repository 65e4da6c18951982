package dev.skiff.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageVersionHashTest {

    @Test
    void matchesWhatKubeApiserverReports() {
        assertThat(StorageVersionHash.of("", "v1", "Pod")).isEqualTo("xPOwRZ+Yhw8=");
        assertThat(StorageVersionHash.of("", "v1", "Namespace")).isEqualTo("Q3oi5N2YM8M=");
        assertThat(StorageVersionHash.of("", "v1", "ConfigMap")).isEqualTo("qFsyl6wFWjQ=");
        assertThat(StorageVersionHash.of("apps", "v1", "Deployment")).isEqualTo("8aSe+NMegvE=");
    }

    @Test
    void emptyKindHasNoHash() {
        assertThat(StorageVersionHash.of("apps", "v1", "")).isEmpty();
    }
}
