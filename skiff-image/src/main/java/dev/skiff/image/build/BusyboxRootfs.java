package dev.skiff.image.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal root filesystem around a statically linked busybox (Debian's {@code busybox-static}): the binary at
 * {@code /bin/busybox}, one symlink per applet at the path {@code busybox --list-full} gives for it (so
 * {@code sh}, {@code httpd}, {@code sleep}, {@code cat}, {@code tar}, {@code nc} ... are on the default PATH),
 * {@code /etc/passwd} and {@code /etc/group} with root and nobody (for {@code runAsUser} and {@code id}), a
 * world-writable sticky {@code /tmp}, and {@code /root}. The binary is static, so no libraries are needed.
 *
 * <p>Stateless; {@link #create} blocks while it runs busybox to list the applets.
 */
public final class BusyboxRootfs {

    /** Where Debian's busybox-static installs the binary. */
    public static final Path DEFAULT_BINARY = Path.of("/bin/busybox");
    static final String NOT_FOUND = "busybox not found: install the static build with `apt-get install -y busybox-static`";

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    static final String GROUP = """
            root:x:0:
            nogroup:x:65534:
            nobody:x:65534:
            """;

    private BusyboxRootfs() {}

    /** The busybox root filesystem from {@link #DEFAULT_BINARY}. */
    public static Rootfs create() {
        return create(DEFAULT_BINARY);
    }

    /** The busybox root filesystem from the given (statically linked) busybox binary. */
    public static Rootfs create(Path busybox) {
        if (!Files.isRegularFile(busybox) || !Files.isExecutable(busybox)) {
            throw new IllegalStateException(NOT_FOUND + " (looked for " + busybox + ")");
        }
        Rootfs rootfs = new Rootfs();
        for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "var", "var/www", "home")) {
            rootfs.directory(dir, 0755);
        }
        rootfs.directory("root", 0700);
        rootfs.directory("tmp", 01777);
        try {
            rootfs.add(FileEntry.RegularFile.fromHost("bin/busybox", 0755, busybox));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + busybox, e);
        }
        for (String applet : applets(busybox)) {
            if (!applet.equals("bin/busybox")) {
                rootfs.symlink(applet, "/bin/busybox");
            }
        }
        rootfs.file("etc/passwd", 0644, PASSWD);
        rootfs.file("etc/group", 0644, GROUP);
        return rootfs;
    }

    /** The applets' install paths relative to the root, as {@code busybox --list-full} prints them. */
    static List<String> applets(Path busybox) {
        try {
            Process p = new ProcessBuilder(busybox.toString(), "--list-full")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(busybox + " --list-full did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(busybox + " --list-full failed (exit " + p.exitValue() + "): "
                        + out.strip());
            }
            List<String> applets = out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (applets.isEmpty()) {
                throw new IllegalStateException(busybox + " --list-full listed no applets");
            }
            return applets;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + busybox, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing busybox applets", e);
        }
    }
}
