/**
 * The virtual kubelet: one {@link dev.skiff.node.agent.NodeAgent} per virtual node registers its Node, heartbeats
 * through a Lease in {@code kube-node-lease}, watches the pods bound to it and runs each as an instance of an
 * {@link dev.skiff.node.runtime.InstanceRuntime}, writing pod statuses and Events back as the kubelet's status
 * manager and event recorder do. It is a Kubernetes API client only (fabric8); it never sees storage.
 */
package dev.skiff.node.agent;
