/**
 * Pod volumes the node agent materialises on the node and hands to the runtime as bind mounts: emptyDir,
 * configMap, secret, downwardAPI and projected (with ServiceAccount tokens from the TokenRequest API), written with
 * the kubelet's atomic-writer layout so updates reach running containers.
 */
package dev.skiff.node.agent.volume;
