/**
 * {@code skiff bench sandbox}: pods in real containerd sandboxes measured from the pod create call until a watch
 * sees them Running (cold pull, cached image, a burst, an image cache), against containerd's own {@code ctr run} on
 * the same containerd and image as the raw peer (decision 035).
 */
package dev.skiff.bench.sandbox;
