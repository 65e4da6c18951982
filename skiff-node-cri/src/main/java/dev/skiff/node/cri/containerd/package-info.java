/**
 * Skiff's private containerd: its configuration, the child process, and the cleanup that leaves the host as it was
 * (containerd 1.6 leaves shims, mounts, cgroups and CNI state behind unless sandboxes are removed first).
 */
package dev.skiff.node.cri.containerd;
