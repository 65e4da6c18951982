/**
 * The {@link dev.skiff.node.runtime.InstanceRuntime} SPI: how the virtual node runs each pod as an instance, in its
 * own sandbox. Values are records ({@link dev.skiff.node.runtime.InstanceSpec}, {@link
 * dev.skiff.node.runtime.InstanceStatus}, ...) and closed sets are sealed types (instance and container states,
 * create/delete/exec results, notifications, failures), so callers handle every case.
 *
 * <p>The types stay close to a Pod's shape (phase, container states, restart count, reasons like
 * {@code CrashLoopBackOff}) so that mapping to and from the Kubernetes API is mechanical, yet nothing here depends
 * on a Kubernetes client: a runtime knows instances, not API objects. Every implementation passes the contract
 * suite published in this module's test-jar ({@code dev.skiff.node.runtime.contract.InstanceRuntimeContract}).
 */
package dev.skiff.node.runtime;
