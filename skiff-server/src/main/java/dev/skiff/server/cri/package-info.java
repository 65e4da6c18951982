/** Wiring of real sandboxes ({@code --runtime cri}) into the cluster: containerd, the pause image, the runtimes. */
package dev.skiff.server.cri;
