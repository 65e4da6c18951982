package dev.skiff.server.cri;

import dev.skiff.image.Progress;
import dev.skiff.image.build.BuiltImage;
import dev.skiff.image.build.BusyboxRootfs;
import dev.skiff.image.build.ImageBuilder;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.build.OciLayout;
import dev.skiff.node.cri.containerd.ContainerdSupervisor;
import dev.skiff.node.cri.containerd.HostRequirements;
import dev.skiff.node.cri.net.HostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The sandbox (pause) image, built locally and imported into Skiff's containerd so a cluster starts without any
 * registry or network: busybox sleeping forever, which is all a pause container does (hold the pod's namespaces).
 */
final class PauseImage {

    /** The reference containerd's CRI knows the pause image by ({@code sandbox_image}). */
    static final String REFERENCE = "skiff.local/pause:busybox";

    private PauseImage() {
    }

    /** Builds the image and imports it into the {@code k8s.io} namespace, where the CRI finds its images. */
    static void importInto(ContainerdSupervisor containerd, Path workDir) {
        try {
            Files.createDirectories(workDir);
            BuiltImage image = new ImageBuilder().build(BusyboxRootfs.create(),
                    ImageConfig.defaults().withCmd(List.of("sleep", "2147483647")), workDir.resolve("blobs"),
                    Progress.NONE);
            Path archive = workDir.resolve("pause.oci.tar");
            OciLayout.writeArchive(image, REFERENCE, archive);
            Path ctr = Objects.requireNonNull(HostRequirements.onPath("ctr"), "ctr (from the containerd package)");
            HostCommands.check(List.of(ctr.toString(), "--address", containerd.config().socket().toString(),
                    "--namespace", "k8s.io", "images", "import", "--snapshotter", "overlayfs", archive.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
