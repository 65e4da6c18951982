/**
 * The kubelet's prober and lifecycle hooks, run by the node agent: liveness, readiness and startup probes (exec
 * through {@link dev.skiff.node.runtime.InstanceRuntime#exec}, httpGet, tcpSocket, grpc) with upstream's timing
 * and threshold semantics, and postStart/preStop handlers. Readiness feeds the pod's Ready condition; a failed
 * liveness or startup probe restarts the container through
 * {@link dev.skiff.node.runtime.InstanceRuntime#killContainer}.
 */
package dev.skiff.node.agent.probe;
