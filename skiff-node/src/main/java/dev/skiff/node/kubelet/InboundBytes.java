package dev.skiff.node.kubelet;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that arrive on an event loop (a client's stdin messages, a forwarded connection's data frames) read as a
 * blocking {@link InputStream} by a copying thread. Backpressure: once more than {@link #HIGH_WATER} bytes wait, the
 * {@code pause} callback stops the source, and {@code resume} restarts it when the reader has caught up.
 * {@link #offer} and {@link #finish} come from one thread; {@link #read} from another.
 */
final class InboundBytes extends InputStream {

    static final long HIGH_WATER = 1 << 20;
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Runnable pause;
    private final Runnable resume;
    private volatile boolean paused;
    private volatile boolean finished;
    private byte[] current;
    private int offset;
    private boolean ended;

    InboundBytes(Runnable pause, Runnable resume) {
        this.pause = pause;
        this.resume = resume;
    }

    /** Adds bytes from the source. */
    void offer(byte[] bytes) {
        if (finished || bytes.length == 0) {
            return;
        }
        chunks.add(bytes);
        if (queued.addAndGet(bytes.length) > HIGH_WATER && !paused) {
            paused = true;
            pause.run();
        }
    }

    /** The source has no more bytes: the reader sees EOF after what is queued. Idempotent. */
    void finish() {
        if (!finished) {
            finished = true;
            chunks.add(END);
        }
    }

    @Override
    public int read() throws java.io.IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws java.io.IOException {
        if (len == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (current == null || offset == current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for input");
            }
            offset = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
            if (queued.addAndGet(-current.length) < HIGH_WATER / 2 && paused) {
                paused = false;
                resume.run();
            }
        }
        int n = Math.min(len, current.length - offset);
        System.arraycopy(current, offset, buffer, off, n);
        offset += n;
        return n;
    }
}
