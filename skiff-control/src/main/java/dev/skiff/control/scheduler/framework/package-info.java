/**
 * The scheduling framework: the cluster snapshot plugins decide on, and the plugin contracts.
 *
 * <p>As upstream's scheduler framework: per pod, every {@link dev.skiff.control.scheduler.framework.FilterPlugin}
 * prepares (PreFilter) and filters each node; the feasible nodes are then scored by every
 * {@link dev.skiff.control.scheduler.framework.ScorePlugin} (PreScore, Score, NormalizeScore). Plugins see the
 * {@link dev.skiff.control.scheduler.framework.SnapshotView} read-only; the
 * {@link dev.skiff.control.scheduler.framework.ClusterSnapshot} changes only between cycles. Everything here runs on
 * one scheduling thread and does no I/O.
 */
package dev.skiff.control.scheduler.framework;
