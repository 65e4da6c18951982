/**
 * The namespace controller, as upstream's {@code pkg/controller/namespace}: a namespace being deleted is emptied
 * (every namespaced resource the API server serves, found by discovery), its deletion progress reported as
 * status conditions, and once nothing is left its {@code kubernetes} finalizer is removed through
 * {@code namespaces/finalize}, upon which the API server removes it.
 *
 * <p>{@link dev.skiff.control.controller.namespace.NamespaceConditions} is pure and table-tested;
 * {@link dev.skiff.control.controller.namespace.NamespaceContentDeleter} does the API calls.
 */
package dev.skiff.control.controller.namespace;
