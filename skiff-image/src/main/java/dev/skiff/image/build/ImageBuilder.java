package dev.skiff.image.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.MediaTypes;
import dev.skiff.image.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles an OCI image (image spec v1.0): layers written by {@link LayerWriter}, the image configuration
 * ({@code application/vnd.oci.image.config.v1+json}, with {@code rootfs.diff_ids} in layer order) and the manifest
 * ({@code application/vnd.oci.image.manifest.v1+json}, schemaVersion 2, naming the config and layer blobs by digest
 * and size). JSON documents are serialized once and their digests are taken over exactly those bytes.
 *
 * <p>Thread-safe; {@link #build} blocks while it writes.
 */
public final class ImageBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final LayerWriter layers;

    public ImageBuilder(LayerWriter layers) {
        this.layers = layers;
    }

    public ImageBuilder() {
        this(new LayerWriter());
    }

    /** Builds a one-layer image from {@code rootfs}, writing blobs under {@code blobDir}. */
    public BuiltImage build(Rootfs rootfs, ImageConfig config, Path blobDir, Progress progress) {
        return build(List.of(rootfs), config, blobDir, progress);
    }

    /** Builds an image with one layer per element of {@code layerFiles}, bottom first. */
    public BuiltImage build(List<Rootfs> layerFiles, ImageConfig config, Path blobDir, Progress progress) {
        if (layerFiles.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one layer");
        }
        List<Layer> written = new ArrayList<>();
        for (Rootfs rootfs : layerFiles) {
            written.add(layers.write(rootfs, blobDir, progress));
        }
        return assemble(written, config, blobDir);
    }

    /** Writes the config and manifest for layers already written under {@code blobDir}. */
    public BuiltImage assemble(List<Layer> written, ImageConfig config, Path blobDir) {
        Blob configBlob = writeBlob(blobDir, MediaTypes.OCI_CONFIG, configJson(written, config));
        Blob manifest = writeBlob(blobDir, MediaTypes.OCI_MANIFEST, manifestJson(written, configBlob));
        return new BuiltImage(written, configBlob, manifest, blobDir);
    }

    static byte[] configJson(List<Layer> layers, ImageConfig config) {
        Map<String, Object> runConfig = new LinkedHashMap<>();
        if (!config.user().isEmpty()) {
            runConfig.put("User", config.user());
        }
        if (!config.exposedPorts().isEmpty()) {
            Map<String, Object> ports = new LinkedHashMap<>();
            config.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            runConfig.put("ExposedPorts", ports);
        }
        if (!config.env().isEmpty()) {
            runConfig.put("Env", config.env());
        }
        if (!config.entrypoint().isEmpty()) {
            runConfig.put("Entrypoint", config.entrypoint());
        }
        if (!config.cmd().isEmpty()) {
            runConfig.put("Cmd", config.cmd());
        }
        if (!config.workingDir().isEmpty()) {
            runConfig.put("WorkingDir", config.workingDir());
        }
        if (!config.labels().isEmpty()) {
            runConfig.put("Labels", config.labels());
        }
        if (!config.stopSignal().isEmpty()) {
            runConfig.put("StopSignal", config.stopSignal());
        }
        String created = DateTimeFormatter.ISO_INSTANT.format(config.created());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("created", created);
        doc.put("architecture", architecture());
        doc.put("os", "linux");
        doc.put("config", runConfig);
        doc.put("rootfs", Map.of("type", "layers",
                "diff_ids", layers.stream().map(l -> l.diffId().toString()).toList()));
        doc.put("history", layers.stream()
                .map(l -> Map.of("created", created, "created_by", "skiff image build"))
                .toList());
        return write(doc);
    }

    static byte[] manifestJson(List<Layer> layers, Blob config) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 2);
        doc.put("mediaType", MediaTypes.OCI_MANIFEST);
        doc.put("config", descriptor(config));
        doc.put("layers", layers.stream().map(l -> descriptor(l.blob())).toList());
        return write(doc);
    }

    static Map<String, Object> descriptor(Blob blob) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", blob.mediaType());
        d.put("digest", blob.digest().toString());
        d.put("size", blob.size());
        return d;
    }

    /** The GOARCH name of this machine, as the image config's {@code architecture} field uses it. */
    static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static byte[] write(Object doc) {
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Blob writeBlob(Path blobDir, String mediaType, byte[] bytes) {
        Digest digest = Digest.of(bytes);
        Path file = blobDir.resolve(Digest.ALGORITHM).resolve(digest.hex());
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.write(file, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob " + digest + " under " + blobDir, e);
        }
        return new Blob(mediaType, digest, bytes.length, file);
    }
}
