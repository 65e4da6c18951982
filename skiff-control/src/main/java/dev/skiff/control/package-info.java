/**
 * Skiff's control plane components: the scheduler now; the workload controllers, autoscalers and billing later.
 *
 * <p>Everything here is a Kubernetes API client (fabric8). Nothing in this module may reach storage or the API
 * server's internals: the same code must work as an add-on against a cluster that is not Skiff.
 */
package dev.skiff.control;
