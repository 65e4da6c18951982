package dev.skiff.image.testing;

import dev.skiff.image.Digest;
import dev.skiff.image.ImageReference;
import dev.skiff.image.Progress;
import dev.skiff.image.build.BuiltImage;
import dev.skiff.image.build.BusyboxRootfs;
import dev.skiff.image.build.ImageBuilder;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.build.Rootfs;
import dev.skiff.image.local.LocalRegistry;
import dev.skiff.image.local.RegistryOptions;
import dev.skiff.image.registry.Credentials;
import dev.skiff.image.registry.ImagePusher;
import dev.skiff.image.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A registry for tests: a {@link LocalRegistry} on a free loopback port in a temporary directory, with a busybox
 * image pushed as {@code <address>/skiff/busybox:latest} (default command {@code sh}).
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start()) {
 *     String image = registry.busybox();   // e.g. "127.0.0.1:41234/skiff/busybox:latest"
 *     ... create a pod with that image; pull over plain HTTP ...
 * }
 * }</pre>
 *
 * <p>{@link #withAuth} starts one that requires Basic auth (for imagePullSecrets tests). {@link #close()} stops the
 * registry and deletes its directory, also when a test failed. Thread-safe after construction.
 */
public final class TestRegistry implements AutoCloseable {

    public static final String BUSYBOX_REPOSITORY = "skiff/busybox";

    private final LocalRegistry registry;
    private final Path workDir;
    private final Credentials credentials;
    private final ImageReference busybox;
    private final Digest busyboxDigest;

    private TestRegistry(LocalRegistry registry, Path workDir, Credentials credentials) {
        this.registry = registry;
        this.workDir = workDir;
        this.credentials = credentials;
        BuiltImage image = new ImageBuilder().build(BusyboxRootfs.create(),
                ImageConfig.defaults().withCmd(List.of("sh")), workDir.resolve("blobs"), Progress.NONE);
        this.busybox = ImageReference.parse(registry.address() + "/" + BUSYBOX_REPOSITORY + ":latest");
        this.busyboxDigest = new ImagePusher(client()).push(image, busybox, Progress.NONE);
    }

    /** An open registry with the busybox image pushed. */
    public static TestRegistry start() {
        return start(null);
    }

    /** A registry requiring Basic auth as {@code username}/{@code password}, with the busybox image pushed. */
    public static TestRegistry withAuth(String username, String password) {
        return start(new Credentials(username, password));
    }

    private static TestRegistry start(Credentials credentials) {
        Path dir;
        try {
            dir = Files.createTempDirectory("skiff-test-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalRegistry registry = null;
        try {
            RegistryOptions options = RegistryOptions.of(dir.resolve("registry"));
            if (credentials != null) {
                options = options.withUsers(Map.of(credentials.username(), credentials.password()));
            }
            registry = LocalRegistry.start(options);
            return new TestRegistry(registry, dir, credentials);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            deleteRecursively(dir);
            throw e;
        }
    }

    /** The pullable reference of the busybox image, {@code 127.0.0.1:<port>/skiff/busybox:latest}. */
    public String busybox() {
        return busybox.toString();
    }

    public ImageReference busyboxReference() {
        return busybox;
    }

    /** The manifest digest of the busybox image (a pull by {@code repo@digest} gets the same image). */
    public Digest busyboxDigest() {
        return busyboxDigest;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return registry.address();
    }

    /** A client of this registry, authenticated when it requires auth. */
    public RegistryClient client() {
        return RegistryClient.forHost(registry.address(), true, credentials);
    }

    /** Builds {@code rootfs} with {@code config} and pushes it as {@code repository:tag}; returns the reference. */
    public String push(String repository, String tag, Rootfs rootfs, ImageConfig config) {
        Path blobs = workDir.resolve("blobs");
        BuiltImage image = new ImageBuilder().build(rootfs, config, blobs, Progress.NONE);
        ImageReference ref = ImageReference.parse(registry.address() + "/" + repository + ":" + tag);
        new ImagePusher(client()).push(image, ref, Progress.NONE);
        return ref.toString();
    }

    public LocalRegistry registry() {
        return registry;
    }

    /** Stops the registry and deletes its files. Idempotent. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
