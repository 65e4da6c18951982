/**
 * The disruption controller (upstream's {@code pkg/controller/disruption}): keeps each PodDisruptionBudget's status
 * (expected, healthy and desired pods, the disruptions allowed, the evictions not yet confirmed) current, so that
 * the API server's {@code pods/eviction} can refuse evictions that would break the budget.
 */
package dev.skiff.control.controller.disruption;
