/**
 * The {@code cri} {@link dev.skiff.node.runtime.InstanceRuntime}: every instance is a real pod sandbox created
 * through the Container Runtime Interface of a containerd Skiff supervises (decision 027).
 */
package dev.skiff.node.cri;
