/**
 * The kubelet's HTTPS server on a virtual node: the streaming endpoints kube-apiserver proxies {@code pods/log},
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward} to ({@code /containerLogs}, {@code /exec},
 * {@code /attach}, {@code /portForward}), over the node's {@link dev.skiff.node.runtime.InstanceRuntime}.
 * Exec and attach speak the WebSocket channel protocols ({@code v4}/{@code v5.channel.k8s.io}); port-forward speaks
 * SPDY/3.1 tunnelled in WebSocket messages, as kubectl 1.32 sends it (decision 029).
 */
package dev.skiff.node.kubelet;
