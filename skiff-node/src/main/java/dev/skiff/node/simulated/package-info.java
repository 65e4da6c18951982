/**
 * The simulated {@link dev.skiff.node.runtime.InstanceRuntime}: instances without processes, for scale tests.
 *
 * <p>Like kwok, the lifecycle is data: a {@link dev.skiff.node.simulated.SimulationProfile} lists
 * {@link dev.skiff.node.simulated.Stage}s (reason, delay, jitter, failure rate and what a failure does) an instance
 * passes through before its containers start; pod annotations ({@link dev.skiff.node.simulated.SimulatedBehaviour})
 * make containers exit after a while with a given code, so Jobs complete, or ignore SIGTERM, so deletions take
 * their whole grace period. Restart policies, restart counts and back-off, graceful deletion and the kubelet's
 * phase rules are modelled; logs and stats are synthetic, exec is unsupported. Everything it reports says
 * {@code [simulated]}.
 *
 * <p>Instances own no threads: transitions are timers on one shared scheduled executor, and an idle instance is a
 * few small objects, so a single process holds 50,000 of them.
 */
package dev.skiff.node.simulated;
