package dev.skiff.image.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.MediaTypes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The OCI image layout (image spec v1.0 "image-layout"): a directory with an {@code oci-layout} marker
 * ({@code {"imageLayoutVersion":"1.0.0"}}), an {@code index.json} (an image index whose manifest descriptor carries
 * the {@code org.opencontainers.image.ref.name} annotation) and {@code blobs/sha256/<hex>} files; and the same
 * directory as an uncompressed tar ("oci-archive"), which {@code ctr images import} and
 * {@code skopeo copy oci-archive:} read.
 *
 * <p>Stateless; methods block while writing.
 */
public final class OciLayout {

    public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayout() {}

    /**
     * Writes {@code image} as a layout in {@code dir} (created if needed), tagged {@code refName} (e.g.
     * {@code latest}). Blobs already in {@code dir/blobs} (when the image was built there) are not copied again.
     */
    public static void writeDirectory(BuiltImage image, String refName, Path dir) {
        try {
            Path blobs = dir.resolve("blobs");
            Files.createDirectories(blobs.resolve(Digest.ALGORITHM));
            List<Blob> all = new ArrayList<>(image.contentBlobs());
            all.add(image.manifest());
            for (Blob blob : all) {
                Path target = blobs.resolve(Digest.ALGORITHM).resolve(blob.digest().hex());
                if (!Files.exists(target)) {
                    Files.copy(blob.file(), target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.write(dir.resolve("index.json"), indexJson(image.manifest(), refName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an OCI layout in " + dir, e);
        }
    }

    /** Writes {@code image} as an OCI archive (a tar of the layout) to {@code archive}. */
    public static void writeArchive(BuiltImage image, String refName, Path archive) {
        try {
            Path parent = archive.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, ".oci-layout-");
            try {
                writeDirectory(image, refName, staging);
                tar(staging, archive);
            } finally {
                deleteRecursively(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an OCI archive " + archive, e);
        }
    }

    static byte[] indexJson(Blob manifest, String refName) throws IOException {
        Map<String, Object> descriptor = new LinkedHashMap<>(ImageBuilder.descriptor(manifest));
        if (refName != null) {
            descriptor.put("annotations", Map.of(REF_NAME_ANNOTATION, refName));
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", List.of(descriptor));
        return JSON.writeValueAsBytes(index);
    }

    private static void tar(Path dir, Path archive) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path p : paths) {
                String name = dir.relativize(p).toString().replace('\\', '/');
                boolean isDir = Files.isDirectory(p);
                TarArchiveEntry entry = new TarArchiveEntry(isDir ? name + "/" : name);
                entry.setMode(isDir ? 040755 : 0100644);
                entry.setModTime(0);
                if (!isDir) {
                    entry.setSize(Files.size(p));
                }
                tar.putArchiveEntry(entry);
                if (!isDir) {
                    Files.copy(p, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
