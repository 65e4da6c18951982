/**
 * Skiff's workload controllers, as Kubernetes API clients, mirroring kube-controller-manager's.
 *
 * <p>The framework: a {@link dev.skiff.control.controller.Controller} runs a level-triggered, idempotent
 * {@link dev.skiff.control.controller.Reconciler} over keys fed by informer events into a deduplicating
 * {@link dev.skiff.control.controller.WorkQueue}; failures back off per key
 * ({@link dev.skiff.control.controller.Backoff}). Reconcilers read from informer caches and write through the
 * client. {@link dev.skiff.control.controller.Controllers} composes the controllers for a composition root.
 */
package dev.skiff.control.controller;
