/**
 * Building blocks shared by {@link dev.skiff.node.runtime.InstanceRuntime} implementations (not part of the SPI a
 * caller sees): notification fan-out that never blocks the runtime.
 */
package dev.skiff.node.runtime.support;
