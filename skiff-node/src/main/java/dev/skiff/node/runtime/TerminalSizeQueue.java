package dev.skiff.node.runtime;

/**
 * The sizes a client's terminal takes during an exec or attach session with a tty, in order (the kubelet's
 * {@code remotecommand.TerminalSizeQueue}). The runtime reads it on a thread of its own and applies each size to the
 * session's terminal; sessions without a tty never read it.
 */
public interface TerminalSizeQueue {

    /** A queue that never yields a size. */
    TerminalSizeQueue NONE = () -> null;

    /**
     * The next size, blocking until the client sends one; null once the session has ended (no more sizes come).
     * Called by one thread at a time.
     *
     * @throws InterruptedException if the reading thread is interrupted while waiting
     */
    TerminalSize next() throws InterruptedException;
}
