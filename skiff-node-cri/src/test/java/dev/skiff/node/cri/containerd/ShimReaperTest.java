package dev.skiff.node.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShimReaperTest {

    @Test
    void shimSocketsAreNamedAsContainerdNamesThem() {
        // A socket name observed under /run/containerd/s for a shim of containerd 1.6.20.
        Path socket = Path.of("/tmp/skiff-cri-12077686590465593074/containerd/containerd.sock");
        String id = "ce4d59f9be3eaceb79332468d24bf551a9e9c9a31d3aaf1de0f72f60590b22ba";

        assertThat(ShimReaper.socketName(socket, "k8s.io", id))
                .isEqualTo("dd83f2216614a8852234a0f519e1df6ffa03eaf02e8aaa5548e4c9737277de61");
    }

    @Test
    void noShimBelongsToASocketNobodyListensOn() {
        assertThat(ShimReaper.shimsOf(Path.of("/nonexistent/containerd.sock"))).isEmpty();
    }
}
