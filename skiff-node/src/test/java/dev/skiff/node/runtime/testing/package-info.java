/** Test doubles shared by the node's tests: {@link dev.skiff.node.runtime.testing.DelegatingRuntime}. */
package dev.skiff.node.runtime.testing;
