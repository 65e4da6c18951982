/**
 * ECI's image cache (seed 004): the cluster-scoped {@code ImageCache} custom resource
 * ({@code eci.alibabacloud.com/v1}) and the node-side builder that pre-pulls its images into the node's runtime and
 * reports the cache's phase, progress and {@code imc-...} id, plus the matcher that tells which cache a pod may start
 * from ({@code k8s.aliyun.com/eci-image-cache: "true"} or {@code k8s.aliyun.com/eci-image-snapshot-id}).
 *
 * <p>Locally a "snapshot" is the set of images held by the node's runtime: a pod that matches a Ready cache starts
 * from those images without pulling. Everything here is a Kubernetes API client; the runtime is reached only through
 * {@link dev.skiff.node.runtime.InstanceRuntime#pullImage}.
 */
package dev.skiff.node.imagecache;
