package dev.skiff.node.cri.containerd;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The containerd configuration Skiff writes (config format version 2, containerd 1.6): every directory and socket
 * under Skiff's data dir, the CRI plugin on runc with cgroupfs, overlayfs, Skiff's CNI directories, and registry
 * hosts under {@code certs.d} (so loopback registries can be plain HTTP).
 *
 * @param dir            the directory containerd owns (root, state, socket, opt, certs.d)
 * @param cniBinDir      where containerd finds CNI plugins
 * @param cniConfDir     where containerd finds the network configuration
 * @param sandboxImage   the image of every sandbox's pause container
 * @param streamPort     the port of the CRI streaming server on 127.0.0.1 (0: any free port)
 */
public record ContainerdConfig(Path dir, Path cniBinDir, Path cniConfDir, String sandboxImage, int streamPort) {

    public ContainerdConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(cniBinDir, "cniBinDir");
        Objects.requireNonNull(cniConfDir, "cniConfDir");
        Objects.requireNonNull(sandboxImage, "sandboxImage");
    }

    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    public Path root() {
        return dir.resolve("root");
    }

    public Path state() {
        return dir.resolve("state");
    }

    public Path registryHosts() {
        return dir.resolve("certs.d");
    }

    public Path configFile() {
        return dir.resolve("config.toml");
    }

    /** The TOML text. */
    public String toml() {
        // restrict_oom_score_adj: root here lacks CAP_SYS_RESOURCE, and without it every RunPodSandbox fails when
        // runc tries to lower the pause process's oom_score_adj. SystemdCgroup=false: Skiff is not a systemd unit
        // and names cgroupfs parents. The stream server listens on loopback only.
        return """
                version = 2
                root = "%1$s"
                state = "%2$s"
                oom_score = 0

                [grpc]
                  address = "%3$s"

                [ttrpc]
                  address = "%3$s.ttrpc"

                [debug]
                  level = "warn"

                [metrics]
                  address = ""

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%4$s"

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%5$s"
                  restrict_oom_score_adj = true
                  enable_selinux = false
                  disable_apparmor = true
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "%6$d"
                  enable_unprivileged_ports = false
                  enable_unprivileged_icmp = false

                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"

                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"

                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false

                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%7$s"
                    conf_dir = "%8$s"
                    max_conf_num = 1

                  [plugins."io.containerd.grpc.v1.cri".registry]
                    config_path = "%9$s"
                """.formatted(root(), state(), socket(), dir.resolve("opt"), sandboxImage, streamPort, cniBinDir,
                cniConfDir, registryHosts());
    }

    /**
     * The {@code hosts.toml} that makes containerd pull from {@code host:port} over plain HTTP (the registry
     * {@code config_path} scheme of containerd 1.5+).
     */
    public static String plainHttpHosts(String hostPort) {
        return """
                server = "http://%1$s"

                [host."http://%1$s"]
                  capabilities = ["pull", "resolve"]
                  skip_verify = true
                """.formatted(hostPort);
    }
}
