/**
 * kube-apiserver's side of the pod streams: a client of the nodes' kubelet servers (client certificate from the
 * cluster CA, as {@code --kubelet-client-certificate}) that streams {@code pods/log} responses and relays the
 * WebSocket sessions of {@code pods/exec}, {@code pods/attach} and {@code pods/portforward} (decision 029).
 */
package dev.skiff.apiserver.kubelet;
