package dev.skiff.image.debian;

import dev.skiff.image.build.FileEntry;
import dev.skiff.image.build.Rootfs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Downloads Debian packages and unpacks their file trees into a {@link Rootfs}.
 *
 * <p>Only the files a package ships are taken (its {@code data.tar}); maintainer scripts do not run and
 * dependencies are not resolved, so list every package the image needs (statically linked ones such as
 * {@code busybox-static} need nothing else). Regular file contents are staged in files under a staging directory
 * the caller owns and deletes after the layer is written; hard links become copies of their target's content.
 *
 * <p>Stateless; methods block while {@code apt-get} runs or archives are read.
 */
public final class DebianPackages {

    private static final Pattern NOT_FOUND = Pattern.compile("Unable to locate package (\\S+)");
    private static final Pattern NO_CANDIDATE = Pattern.compile("Package '?(\\S+?)'? has no installation candidate");
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9]+)?(=[\\w.+:~-]+)?");

    private DebianPackages() {}

    /**
     * Runs {@code apt-get download PKG...} in {@code dir}; returns the downloaded {@code .deb} files in name order.
     * A package apt does not know fails with a message naming it.
     */
    public static List<Path> download(List<String> packages, Path dir) {
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("no Debian packages given");
        }
        for (String p : packages) {
            if (!PACKAGE_NAME.matcher(p).matches()) {
                throw new IllegalArgumentException("invalid Debian package name \"" + p + "\"");
            }
        }
        List<String> command = new ArrayList<>(List.of("apt-get", "download", "-q"));
        command.addAll(packages);
        String output;
        int status;
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("apt-get download did not finish within 10 minutes");
            }
            status = p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run apt-get (is this a Debian or Ubuntu machine?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading Debian packages", e);
        }
        if (status != 0) {
            for (Pattern pattern : List.of(NOT_FOUND, NO_CANDIDATE)) {
                Matcher m = pattern.matcher(output);
                if (m.find()) {
                    throw new IllegalArgumentException("Debian package \"" + m.group(1) + "\" not found"
                            + " (apt-get download: " + m.group() + "; try `apt-get update` or check the name"
                            + " with `apt-cache search`)");
                }
            }
            throw new IllegalStateException("apt-get download " + String.join(" ", packages) + " failed (exit "
                    + status + "):\n" + output.strip());
        }
        List<Path> debs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.deb")) {
            files.forEach(debs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        debs.sort(null);
        return debs;
    }

    /**
     * Adds the files of the {@code .deb} at {@code deb} to {@code rootfs} (later packages replace earlier files at
     * the same path), staging file contents under {@code staging}.
     */
    public static void unpack(Path deb, Rootfs rootfs, Path staging) {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(deb));
                ArArchiveInputStream ar = new ArArchiveInputStream(file)) {
            for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
                String name = member.getName();
                if (name.startsWith("data.tar")) {
                    readData(name, ar, rootfs, Files.createDirectories(staging));
                    return;
                }
            }
            throw new IllegalArgumentException(deb.getFileName() + " has no data.tar member: not a Debian package");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Debian package " + deb, e);
        }
    }

    private static void readData(String member, InputStream in, Rootfs rootfs, Path staging) throws IOException {
        InputStream raw = new BufferedInputStream(new NonClosing(in));
        InputStream tarBytes = switch (member) {
            case "data.tar" -> raw;
            case "data.tar.gz" -> new GZIPInputStream(raw);
            case "data.tar.xz" -> new XZCompressorInputStream(raw);
            case "data.tar.bz2" -> new BZip2CompressorInputStream(raw);
            default -> throw new IllegalArgumentException("unsupported package compression " + member
                    + " (supported: data.tar, .gz, .xz, .bz2)");
        };
        Map<String, Path> staged = new HashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            String path = strip(entry.getName());
            if (path.isEmpty()) {
                continue; // "./", the root itself
            }
            int mode = entry.getMode() & 07777;
            if (entry.isDirectory()) {
                rootfs.add(new FileEntry.Directory(path, mode, (int) entry.getLongUserId(),
                        (int) entry.getLongGroupId()));
            } else if (entry.isSymbolicLink()) {
                rootfs.add(new FileEntry.Symlink(path, entry.getLinkName(), (int) entry.getLongUserId(),
                        (int) entry.getLongGroupId()));
            } else if (entry.isLink()) {
                Path target = staged.get(strip(entry.getLinkName()));
                if (target == null) {
                    throw new IOException("hard link " + path + " points to " + entry.getLinkName()
                            + ", which is not an earlier file of the package");
                }
                staged.put(path, target);
                rootfs.add(stagedFile(path, mode, entry, target));
            } else if (entry.isFile()) {
                Path content = Files.createTempFile(staging, "f-", "");
                Files.copy(tar, content, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                staged.put(path, content);
                rootfs.add(stagedFile(path, mode, entry, content));
            }
            // Devices and FIFOs do not occur in Debian packages' data and have no place in an image layer.
        }
    }

    private static FileEntry.RegularFile stagedFile(String path, int mode, TarArchiveEntry entry, Path content)
            throws IOException {
        return new FileEntry.RegularFile(path, mode, (int) entry.getLongUserId(), (int) entry.getLongGroupId(),
                Files.size(content), () -> Files.newInputStream(content));
    }

    /** {@code ./usr/bin/x} to {@code usr/bin/x}. */
    private static String strip(String name) {
        String p = name;
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.substring(p.startsWith("./") ? 2 : 1);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Keeps the decompressor's close from closing the ar stream underneath. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}
