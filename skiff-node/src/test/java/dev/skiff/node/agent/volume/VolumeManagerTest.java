package dev.skiff.node.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.node.agent.env.DownwardApi;
import dev.skiff.node.agent.env.ObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {

    @TempDir
    Path dir;

    private static final ObjectSource NOTHING = new ObjectSource() {
        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
            return Optional.empty();
        }
    };

    private static final TokenSource NO_TOKENS = new TokenSource() {
        @Override
        public String token(Pod pod, String audience, long expirationSeconds) throws TokenException {
            throw new TokenException("no tokens here");
        }

        @Override
        public void forget(String podUid) {
        }
    };

    private VolumeManager manager(Tmpfs tmpfs) {
        return new VolumeManager(dir, NOTHING, NO_TOKENS, Clock.systemUTC(), tmpfs);
    }

    private static PodBuilder pod(String uid) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("i").endContainer().endSpec();
    }

    private static DownwardApi downward(Pod pod) {
        return new DownwardApi(pod, "10.0.0.1", "192.0.2.1");
    }

    @Test
    void memoryEmptyDirIsASizedTmpfsWhenRootAndIsUnmountedWithThePod() throws Exception {
        Tmpfs tmpfs = Tmpfs.detect();
        assumeTrue(tmpfs.available(), "mounting tmpfs needs root");
        VolumeManager volumes = manager(tmpfs);
        Pod pod = pod("uid-mem").editSpec().addNewVolume().withName("cache").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new Quantity("16Mi")).endEmptyDir().endVolume().endSpec().build();
        Path cache = volumes.volumeDir("uid-mem", "cache");
        try {
            volumes.prepare(pod, downward(pod));
            assertThat(Tmpfs.isMountPoint(cache)).isTrue();
            String mount = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.split(" ")[4].equals(cache.toString())).findFirst().orElseThrow();
            assertThat(mount).contains(" tmpfs ").contains("size=16384k");
        } finally {
            volumes.cleanup("uid-mem");
        }
        assertThat(Tmpfs.isMountPoint(cache)).isFalse();
        assertThat(Files.exists(dir.resolve("pods"))).isFalse();
    }

    @Test
    void aMemoryEmptyDirIsADirectoryWithoutRoot() throws Exception {
        VolumeManager volumes = manager(new Tmpfs(false));
        Pod pod = pod("uid-dir").editSpec().addNewVolume().withName("cache").withNewEmptyDir().withMedium("Memory")
                .endEmptyDir().endVolume().endSpec().build();
        volumes.prepare(pod, downward(pod));
        assertThat(Files.isDirectory(volumes.volumeDir("uid-dir", "cache"))).isTrue();
        assertThat(Tmpfs.isMountPoint(volumes.volumeDir("uid-dir", "cache"))).isFalse();
        volumes.cleanup("uid-dir");
        assertThat(Files.exists(volumes.volumeDir("uid-dir", "cache"))).isFalse();
    }

    @Test
    void aClaimIsANodeDirectoryThatOutlivesItsPod() throws Exception {
        VolumeManager volumes = manager(new Tmpfs(false));
        Pod pod = pod("uid-pvc").editSpec().addNewVolume().withName("www").withNewPersistentVolumeClaim()
                .withClaimName("www-web-0").endPersistentVolumeClaim().endVolume().editFirstContainer()
                .addNewVolumeMount().withName("www").withMountPath("/usr/share/www").endVolumeMount().endContainer()
                .endSpec().build();
        volumes.prepare(pod, downward(pod));
        Path claim = dir.resolve("claims/ns/www-web-0");
        assertThat(volumes.mounts(pod, pod.getSpec().getContainers().getFirst(), List.of()))
                .containsExactly(new dev.skiff.node.runtime.Mount("/usr/share/www", claim, false));
        Files.writeString(claim.resolve("index.html"), "kept");
        volumes.cleanup("uid-pvc");
        assertThat(Files.readString(claim.resolve("index.html"))).isEqualTo("kept");
    }

    @Test
    void hostPathMissingObjectsAndEscapingSubPathsAreRefused() {
        VolumeManager volumes = manager(new Tmpfs(false));
        Pod host = pod("uid-host").editSpec().addNewVolume().withName("root").withNewHostPath().withPath("/")
                .endHostPath().endVolume().endSpec().build();
        assertThatThrownBy(() -> volumes.prepare(host, downward(host))).isInstanceOf(VolumeException.class)
                .extracting(e -> ((VolumeException) e).eventMessage()).asString()
                .startsWith("MountVolume.SetUp failed for volume \"root\" : volume type is not supported");

        Pod missing = pod("uid-cm").editSpec().addNewVolume().withName("cfg").withNewConfigMap().withName("absent")
                .endConfigMap().endVolume().endSpec().build();
        assertThatThrownBy(() -> volumes.prepare(missing, downward(missing)))
                .hasMessage("configmap \"absent\" not found");

        Pod optional = pod("uid-opt").editSpec().addNewVolume().withName("cfg").withNewConfigMap().withName("absent")
                .withOptional(true).endConfigMap().endVolume().endSpec().build();
        assertThatCode(() -> volumes.prepare(optional, downward(optional))).doesNotThrowAnyException();

        Pod escaping = pod("uid-sub").editSpec().addNewVolume().withName("data").withNewEmptyDir().endEmptyDir()
                .endVolume().editFirstContainer().addNewVolumeMount().withName("data").withMountPath("/d")
                .withSubPath("../../etc").endVolumeMount().endContainer().endSpec().build();
        assertThatThrownBy(() -> volumes.mounts(escaping, escaping.getSpec().getContainers().getFirst(), List.of()))
                .isInstanceOf(VolumeException.class).hasMessageContaining("invalid subPath");
    }
}
