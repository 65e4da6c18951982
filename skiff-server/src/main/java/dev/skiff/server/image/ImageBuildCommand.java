package dev.skiff.server.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.ImageReference;
import dev.skiff.image.build.BuiltImage;
import dev.skiff.image.build.BusyboxRootfs;
import dev.skiff.image.build.FileEntry;
import dev.skiff.image.build.ImageBuilder;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.build.OciLayout;
import dev.skiff.image.build.Rootfs;
import dev.skiff.image.debian.DebianPackages;
import dev.skiff.image.registry.ImagePusher;
import dev.skiff.image.registry.RegistryClient;
import dev.skiff.image.registry.RegistryException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code skiff image build}: one image layer from busybox, Debian packages and/or a directory (merged in that
 * order, later files winning), plus an optional incompressible filler layer; written as an OCI layout or archive
 * and/or pushed. Without a registry host in the tag, {@code --push} goes to {@code --registry} or else to the
 * registry of the cluster in {@code --data-dir}. Usage errors (bad tag, no source, no destination) exit 2; build
 * and registry failures print one line and exit 1.
 */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = "Build an OCI image from busybox, Debian packages or a directory, and push it.")
public final class ImageBuildCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--tag"}, required = true, paramLabel = "NAME[:TAG]",
            description = "The image name, e.g. demo/web:v1 or 127.0.0.1:5000/demo/web:v1 (tag defaults to latest).")
    String tag;

    @Option(names = "--busybox", description = "Start from busybox (/bin/busybox and its applets, /etc/passwd, "
            + "/tmp); the default command is then sh.")
    boolean busybox;

    @Option(names = "--from-debian", split = ",", paramLabel = "PKG",
            description = "Debian packages whose files go into the image (apt-get download; dependencies are not "
                    + "added, list them too).")
    List<String> debianPackages = new ArrayList<>();

    @Option(names = "--from-dir", paramLabel = "DIR", description = "A directory whose contents become the root.")
    Path fromDir;

    @Option(names = "--entrypoint", paramLabel = "ARG",
            description = "Entrypoint: repeat for each argument, or one JSON array such as '[\"/bin/sh\",\"-c\"]'.")
    List<String> entrypoint = new ArrayList<>();

    @Option(names = "--cmd", paramLabel = "ARG",
            description = "Default arguments (the pod's args replace them): repeat, or one JSON array.")
    List<String> cmd = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "An environment variable (repeat).")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "The working directory (absolute).")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "The user the process runs as.")
    String user;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "An image label (repeat).")
    Map<String, String> labels = Map.of();

    @Option(names = "--expose", paramLabel = "PORT[/PROTO]", description = "A port the image listens on (repeat).")
    List<String> exposed = new ArrayList<>();

    @Option(names = "--filler-mib", paramLabel = "MIB", defaultValue = "0",
            description = "Add a second layer with this many MiB of incompressible data (large test images).")
    int fillerMib;

    @Option(names = "--push", description = "Push the image to the registry.")
    boolean push;

    @Option(names = "--registry", paramLabel = "HOST:PORT",
            description = "The registry to push to when the tag names none (default: the cluster's, see --data-dir).")
    String registry;

    @Option(names = "--plain-http", description = "Talk plain HTTP to a non-loopback registry.")
    boolean plainHttp;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The cluster whose registry --push uses (default: ~/.skiff).")
    Path dataDir;

    @Option(names = "--oci-layout", paramLabel = "DIR", description = "Also write the image as an OCI layout here.")
    Path ociLayout;

    @Option(names = "--oci-archive", paramLabel = "FILE", description = "Also write the image as an OCI archive.")
    Path ociArchive;

    private final PrintStream out;
    private final PrintStream err;
    private final Path defaultDataDir;
    private final Clock clock;

    public ImageBuildCommand(PrintStream out, PrintStream err, Path defaultDataDir, Clock clock) {
        this.out = out;
        this.err = err;
        this.defaultDataDir = defaultDataDir;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        ImageReference reference = parseTag();
        if (!busybox && debianPackages.isEmpty() && fromDir == null) {
            throw usage("nothing to build from: give --busybox, --from-debian PKG or --from-dir DIR");
        }
        if (!push && ociLayout == null && ociArchive == null) {
            throw usage("nowhere to put the image: give --push, --oci-layout DIR or --oci-archive FILE");
        }
        if (fromDir != null && !Files.isDirectory(fromDir)) {
            throw usage("--from-dir " + fromDir + " is not a directory");
        }
        ImageConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Path work = null;
        try {
            ImageReference target = push ? pushTarget(reference) : reference;
            work = Files.createTempDirectory("skiff-image-build-");
            BuiltImage image = build(config, work);
            out.printf("skiff: built %s (manifest %s, %d layer%s, %.1f MiB)%n", reference, image.manifest().digest(),
                    image.layers().size(), image.layers().size() == 1 ? "" : "s",
                    image.layerBytes() / (1024.0 * 1024));
            String refName = reference.tag() != null ? reference.tag() : ImageReference.DEFAULT_TAG;
            if (ociLayout != null) {
                OciLayout.writeDirectory(image, refName, ociLayout);
                out.println("skiff: wrote the OCI layout " + ociLayout + " (tag " + refName + ")");
            }
            if (ociArchive != null) {
                OciLayout.writeArchive(image, refName, ociArchive);
                out.println("skiff: wrote the OCI archive " + ociArchive + " (tag " + refName + ")");
            }
            if (push) {
                RegistryClient client = RegistryClient.forHost(target.registry(), plainHttp, null);
                Digest digest = new ImagePusher(client).push(image, target, new ConsoleProgress(err, "push"));
                out.println("skiff: pushed " + target + " (" + digest + ")");
            }
            return 0;
        } catch (RegistryException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("skiff: image build failed: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("skiff: image build failed: " + e);
            return 1;
        } finally {
            if (work != null) {
                deleteRecursively(work);
            }
        }
    }

    private BuiltImage build(ImageConfig config, Path work) {
        Rootfs rootfs = new Rootfs();
        if (busybox) {
            rootfs.addAll(BusyboxRootfs.create());
        }
        if (!debianPackages.isEmpty()) {
            out.println("skiff: downloading " + String.join(", ", debianPackages) + " (apt-get download)");
            for (Path deb : DebianPackages.download(debianPackages, work.resolve("debs"))) {
                DebianPackages.unpack(deb, rootfs, work.resolve("staging"));
            }
        }
        if (fromDir != null) {
            rootfs.addAll(Rootfs.fromDirectory(fromDir));
        }
        List<Rootfs> layers = new ArrayList<>(List.of(rootfs));
        if (fillerMib > 0) {
            layers.add(new Rootfs().add(FileEntry.RegularFile.random("filler/random.bin", fillerMib * 1024L * 1024,
                    fillerMib)));
        }
        return new ImageBuilder().build(layers, config, work.resolve("blobs"), new ConsoleProgress(err, "build"));
    }

    private ImageConfig config() {
        ImageConfig config = ImageConfig.defaults().withCreated(clock.instant());
        List<String> entry = arguments(entrypoint);
        List<String> command = arguments(cmd);
        if (busybox && entry.isEmpty() && command.isEmpty()) {
            command = List.of("sh");
        }
        config = config.withEntrypoint(entry).withCmd(command);
        for (String e : env) {
            config = config.withEnv(e);
        }
        if (workdir != null) {
            config = config.withWorkingDir(workdir);
        }
        if (user != null) {
            config = config.withUser(user);
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            config = config.withLabel(label.getKey(), label.getValue());
        }
        for (String port : exposed) {
            config = config.withExposedPort(port);
        }
        return config;
    }

    /** Repeated values as they are, or a single JSON array (the Dockerfile exec form). */
    static List<String> arguments(List<String> values) {
        if (values.size() == 1 && values.get(0).strip().startsWith("[")) {
            try {
                return List.of(JSON.readValue(values.get(0), String[].class));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON array of strings: " + values.get(0));
            }
        }
        return List.copyOf(values);
    }

    private ImageReference parseTag() {
        try {
            ImageReference reference = ImageReference.parse(tag);
            if (reference.digest() != null) {
                throw usage("--tag names a tag, not a digest: " + tag);
            }
            return reference;
        } catch (IllegalArgumentException e) {
            throw usage("bad --tag \"" + tag + "\": " + e.getMessage());
        }
    }

    private ImageReference pushTarget(ImageReference reference) {
        if (reference.registry() != null) {
            if (registry != null && !registry.equals(reference.registry())) {
                throw usage("--tag names registry " + reference.registry() + " but --registry says " + registry);
            }
            return reference;
        }
        if (registry != null) {
            return reference.withRegistry(registry);
        }
        Path dir = (dataDir != null ? dataDir : defaultDataDir).toAbsolutePath();
        String address = ClusterRegistry.address(dir).orElseThrow(() -> new IllegalStateException(
                "no registry is running for the cluster in " + dir + ": start it with `skiff up` (or `skiff server"
                        + " --data-dir " + dir + "`), or name one with --registry HOST:PORT"));
        return reference.withRegistry(address);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a finished build
        }
    }
}
