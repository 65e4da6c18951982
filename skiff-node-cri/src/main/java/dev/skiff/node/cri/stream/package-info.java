/**
 * Clients of the CRI streaming server: the WebSocket channel protocol ({@code v4.channel.k8s.io}) spoken to the
 * URLs containerd answers for {@code Exec} and {@code Attach}, as the kubelet's API server proxies them; exec with
 * stdin through runc; and port-forward inside a sandbox's network namespace through a helper process.
 */
package dev.skiff.node.cri.stream;
