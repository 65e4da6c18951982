/**
 * Kubernetes scheduling semantics compiled into small immutable values: label and node selectors, pod affinity
 * terms, topology spread constraints, taints and tolerations, quantities and a pod's effective requests, and the
 * ECI placement annotations.
 *
 * <p>Each value is computed once per pod (or node) from the fabric8 model so the plugins' hot loops compare strings
 * and longs only. Records compare by value so compiled selectors can key the snapshot's indexes. All types are
 * immutable and thread-safe.
 */
package dev.skiff.control.scheduler.model;
