/**
 * What pods add to the generic registry: admission (the ECI Profile's selectors add annotations and labels; every
 * pod tolerates the virtual nodes' taint) and graceful deletion (a pod bound to a node is marked Terminating and
 * left for its kubelet to finish), as kube-apiserver's pod strategy and ACK's admission webhook do.
 */
package dev.skiff.apiserver.pod;
