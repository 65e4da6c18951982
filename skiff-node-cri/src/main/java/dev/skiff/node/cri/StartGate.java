package dev.skiff.node.cri;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many instance starts do their containerd work (RunPodSandbox, CreateContainer, StartContainer) at once
 * on one host. A burst of pods otherwise starts every sandbox together: a hundred shims, runc inits and CNI plugin
 * processes share the cores, each start takes about as long as the whole burst, and the first pod is Running hardly
 * earlier than the last. With a bound the starts go through in arrival order (a fair semaphore), each close to its
 * solo cost. Pulls and waits (image pulls, init containers running, restart backoff) hold no permit.
 *
 * <p>Unbounded by default: a burst is CPU-bound in containerd and runc, so a bound moves when pods become Running
 * (p50) but not when the last one does, and on a host whose cores are shared with other work a small bound also
 * lowers the share the starts get. Measured in decision 038: a bound of 4 on 2 busy cores gave burst pods a 31 %
 * lower p50 and the burst a longer total.
 *
 * <p>One gate is shared by every {@link CriRuntime} on one containerd (the virtual nodes of one host share its
 * cores). Thread-safe.
 */
public final class StartGate {

    /** How often a queued start looks whether its instance was deleted meanwhile. */
    private static final long RECHECK_MILLIS = 50;

    private final Semaphore permits;
    private final int parallelism;

    /** @param parallelism starts at once; 0 or less: unbounded */
    public StartGate(int parallelism) {
        this.parallelism = parallelism <= 0 ? Integer.MAX_VALUE : parallelism;
        this.permits = new Semaphore(this.parallelism, true);
    }

    /** No bound: every start runs at once (the default). */
    public static StartGate unbounded() {
        return new StartGate(0);
    }

    public int parallelism() {
        return parallelism;
    }

    /** A permit held by one start; {@link #close()} returns it, once. */
    final class Permit implements AutoCloseable {
        private boolean held = true;

        @Override
        public void close() {
            if (held) {
                held = false;
                permits.release();
            }
        }
    }

    /** Waits for a permit for {@code instance}; a deletion or the runtime's close ends the wait. */
    Permit enter(CriInstance instance) {
        return enter(instance::checkGoing);
    }

    /**
     * Waits for a permit. While queued, {@code stillWanted} runs every {@value #RECHECK_MILLIS} ms and ends the wait
     * by throwing (an instance's {@link CriInstance#checkGoing} throws once it is deleted). Blocking; an interrupt
     * ends the wait with {@link CriInstance.Interrupted}.
     */
    Permit enter(Runnable stillWanted) {
        try {
            while (!permits.tryAcquire(RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                stillWanted.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CriInstance.Interrupted();
        }
        return new Permit();
    }
}
