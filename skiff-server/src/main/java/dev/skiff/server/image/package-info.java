/**
 * Images on the command line and the cluster's registry: {@code skiff image build} and {@code skiff image list}
 * (over {@code skiff-image}'s builder and registry client, with a progress bar on the terminal), and
 * {@link dev.skiff.server.image.ClusterRegistry}, the local registry that {@code skiff server}/{@code skiff up}
 * start under their data directory and that {@code image build --push} finds there.
 */
package dev.skiff.server.image;
