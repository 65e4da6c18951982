package dev.skiff.image.build;

import dev.skiff.image.Digest;
import dev.skiff.image.MediaTypes;
import dev.skiff.image.Progress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a {@link Rootfs} as one gzip-compressed tar layer ({@code application/vnd.oci.image.layer.v1.tar+gzip}).
 *
 * <p>One pass computes both digests: the tar stream goes through a sha256 (the {@code diff_id}), then through gzip,
 * then through a second sha256 (the blob digest) into a temporary file, which is finally renamed to
 * {@code <dir>/sha256/<hex>}. The tar uses POSIX (PAX) headers for long names and large sizes, as the OCI layer
 * spec allows; every entry gets the same modification time so the output is reproducible.
 *
 * <p>Stateless and thread-safe; each call blocks while writing.
 */
public final class LayerWriter {

    private static final int BUFFER = 64 * 1024;
    private final Instant modificationTime;

    /** A writer stamping every entry with {@code modificationTime} (the epoch gives reproducible layers). */
    public LayerWriter(Instant modificationTime) {
        this.modificationTime = modificationTime;
    }

    public LayerWriter() {
        this(Instant.EPOCH);
    }

    /** Writes {@code rootfs} as a layer blob under {@code blobDir} (a {@code blobs} directory of an OCI layout). */
    public Layer write(Rootfs rootfs, Path blobDir, Progress progress) {
        Path shaDir = blobDir.resolve(Digest.ALGORITHM);
        Path temp = null;
        progress.begin("layer", rootfs.contentBytes());
        try {
            Files.createDirectories(shaDir);
            temp = Files.createTempFile(shaDir, ".layer-", ".tmp");
            MessageDigest compressedSha = Digest.newSha256();
            MessageDigest tarSha = Digest.newSha256();
            long compressedSize;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), BUFFER);
                    DigestOutputStream compressed = new DigestOutputStream(file, compressedSha);
                    GZIPOutputStream gzip = new ReproducibleGzip(compressed);
                    DigestOutputStream tarBytes = new DigestOutputStream(gzip, tarSha);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes, BUFFER)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                for (FileEntry entry : rootfs.entries()) {
                    writeEntry(tar, entry, progress);
                }
                tar.finish();
            }
            compressedSize = Files.size(temp);
            Digest digest = Digest.of(compressedSha);
            Path target = shaDir.resolve(digest.hex());
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            return new Layer(new Blob(MediaTypes.OCI_LAYER_GZIP, digest, compressedSize, target),
                    Digest.of(tarSha));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an image layer under " + blobDir, e);
        } finally {
            progress.end();
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file in a build directory
                }
            }
        }
    }

    private void writeEntry(TarArchiveOutputStream tar, FileEntry entry, Progress progress) throws IOException {
        TarArchiveEntry header = switch (entry) {
            case FileEntry.Directory d -> new TarArchiveEntry(d.path() + "/", TarConstants.LF_DIR);
            case FileEntry.RegularFile f -> {
                TarArchiveEntry e = new TarArchiveEntry(f.path(), TarConstants.LF_NORMAL);
                e.setSize(f.size());
                yield e;
            }
            case FileEntry.Symlink s -> {
                TarArchiveEntry e = new TarArchiveEntry(s.path(), TarConstants.LF_SYMLINK);
                e.setLinkName(s.target());
                yield e;
            }
        };
        int typeBits = switch (entry) {
            case FileEntry.Directory d -> 040000;
            case FileEntry.RegularFile f -> 0100000;
            case FileEntry.Symlink s -> 0120000;
        };
        header.setMode(typeBits | (entry.mode() & 07777));
        header.setUserId(entry.uid());
        header.setGroupId(entry.gid());
        header.setUserName("");
        header.setGroupName("");
        header.setModTime(Date.from(modificationTime));
        tar.putArchiveEntry(header);
        if (entry instanceof FileEntry.RegularFile f) {
            long copied = 0;
            try (InputStream in = f.content().open()) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (copied + n > f.size()) {
                        throw new IOException(f.path() + " grew while the layer was written (expected "
                                + f.size() + " bytes)");
                    }
                    tar.write(buffer, 0, n);
                    copied += n;
                    progress.advance(n);
                }
            }
            if (copied != f.size()) {
                throw new IOException(f.path() + " shrank while the layer was written (expected " + f.size()
                        + " bytes, read " + copied + ")");
            }
        }
        tar.closeArchiveEntry();
    }

    /**
     * gzip at the default level. {@link GZIPOutputStream}'s header is constant (modification time 0, no file name),
     * which keeps the blob digest reproducible.
     */
    private static final class ReproducibleGzip extends GZIPOutputStream {
        ReproducibleGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.DEFAULT_COMPRESSION);
        }
    }
}
