/**
 * The scheduler's plugins: one small class per filter and per score, each mirroring the upstream plugin of the
 * same name (wording of rejection reasons included), plus the ECI vSwitch filter, and the default profile that
 * orders and weights them.
 *
 * <p>Plugins are stateless and thread-safe; per-pod state lives in the filter or scorer they prepare for a cycle.
 */
package dev.skiff.control.scheduler.plugins;
