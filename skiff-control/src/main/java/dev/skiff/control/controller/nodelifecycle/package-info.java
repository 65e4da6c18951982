/**
 * Node lifecycle (upstream's {@code pkg/controller/nodelifecycle}, its taint-based eviction and the orphan part of
 * {@code pkg/controller/podgc}): nodes whose kubelet stopped renewing its Lease are marked Unknown and tainted
 * unreachable, their pods are marked not ready and evicted once their tolerations run out, and pods left
 * terminating on a dead or deleted node are removed.
 */
package dev.skiff.control.controller.nodelifecycle;
