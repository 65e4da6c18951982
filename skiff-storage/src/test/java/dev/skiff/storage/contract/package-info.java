/**
 * The contract test suite every {@link dev.skiff.storage.Backend} engine must pass, published as a test-jar.
 * Revisions are asserted relative to the store's revision at the start of each test, so engines that share one
 * server between tests (etcd with a key prefix per test) run it unchanged.
 */
package dev.skiff.storage.contract;
