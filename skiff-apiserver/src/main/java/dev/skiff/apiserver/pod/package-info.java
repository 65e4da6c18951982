/**
 * What pods add to the generic registry: graceful deletion (a pod bound to a node is marked Terminating and left for
 * its kubelet to finish), as kube-apiserver's pod strategy does.
 */
package dev.skiff.apiserver.pod;
