package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reference grammar of the distribution project: registry host detection, default tag, digests, errors. */
class ImageReferenceTest {

    @Test
    void parsesHostsTagsAndDigests() {
        ImageReference local = ImageReference.parse("127.0.0.1:5000/skiff/busybox:1.36");
        assertThat(local.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(local.repository()).isEqualTo("skiff/busybox");
        assertThat(local.tag()).isEqualTo("1.36");

        ImageReference bare = ImageReference.parse("busybox");
        assertThat(bare.registry()).isNull();
        assertThat(bare.tag()).isEqualTo("latest");
        assertThat(ImageReference.parse("library/busybox").registry()).as("no dot, colon or localhost").isNull();
        assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");

        String hex = "a".repeat(64);
        ImageReference byDigest = ImageReference.parse("localhost:5000/app@sha256:" + hex);
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.manifestReference()).isEqualTo("sha256:" + hex);
        assertThat(byDigest.toString()).isEqualTo("localhost:5000/app@sha256:" + hex);
        assertThat(ImageReference.parse("app:v1").withRegistry("127.0.0.1:5000").toString())
                .isEqualTo("127.0.0.1:5000/app:v1");
    }

    @Test
    void rejectsBadNamesAndTags() {
        assertThatThrownBy(() -> ImageReference.parse("Upper/app")).hasMessageContaining("invalid repository name");
        assertThatThrownBy(() -> ImageReference.parse("app:-bad")).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> ImageReference.parse("app:" + "t".repeat(129))).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> ImageReference.parse("app@sha256:xyz")).hasMessageContaining("sha256");
        assertThatThrownBy(() -> ImageReference.parse(" ")).hasMessageContaining("empty");
    }
}
