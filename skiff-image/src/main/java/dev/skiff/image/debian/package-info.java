/**
 * Root filesystems from Debian packages: {@code apt-get download} fetches the {@code .deb} files (from the
 * machine's configured Debian mirrors, without installing anything), and their {@code data.tar.*} members are read
 * with commons-compress (ar, then tar through gzip, xz or bzip2) into a {@link dev.skiff.image.build.Rootfs}.
 * Paths are taken from the archive and never resolved on the host, so a package's symlinks cannot redirect writes
 * outside the staging directory.
 */
package dev.skiff.image.debian;
