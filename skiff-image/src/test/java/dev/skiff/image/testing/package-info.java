/**
 * Test fixtures for other modules: {@link dev.skiff.image.testing.TestRegistry} starts a local registry in a
 * temporary directory and pushes a busybox image to it, so runtime tests pull a real image from a real registry.
 */
package dev.skiff.image.testing;
