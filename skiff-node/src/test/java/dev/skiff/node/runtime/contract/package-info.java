/**
 * The contract test suite every {@link dev.skiff.node.runtime.InstanceRuntime} must pass, published in the
 * skiff-node test-jar: extend {@link dev.skiff.node.runtime.contract.InstanceRuntimeContract}, supply a fresh
 * runtime per test and a mapping of {@link dev.skiff.node.runtime.contract.Workload}s onto specs. No sleeps: every
 * wait is an Awaitility condition bounded by the runtime's patience.
 */
package dev.skiff.node.runtime.contract;
