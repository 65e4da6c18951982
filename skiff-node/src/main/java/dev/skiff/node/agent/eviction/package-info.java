/**
 * The node agent's eviction manager for ephemeral storage: every housekeeping interval each running pod's storage
 * is measured and judged as the kubelet's eviction manager judges local storage (emptyDir {@code sizeLimit}, the
 * containers' {@code limits.ephemeral-storage}), plus what an elastic container instance adds: its own size (30 GiB
 * and {@code k8s.aliyun.com/eci-extra-ephemeral-storage}), enforced when the pod carries
 * {@code k8s.aliyun.com/eci-eviction-enable: "true"} (decision 037).
 */
package dev.skiff.node.agent.eviction;
