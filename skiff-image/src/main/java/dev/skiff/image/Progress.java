package dev.skiff.image;

/**
 * Receives progress of a long step (writing a layer, uploading a blob), for a progress bar on the command line.
 *
 * <p>Calls for one step come from the thread doing the work, in order: {@link #begin}, any number of
 * {@link #advance}, then {@link #end} (also after a failure). Implementations must be cheap: they are called per
 * buffer of data.
 */
public interface Progress {

    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override
        public void begin(String task, long totalBytes) {}

        @Override
        public void advance(long bytes) {}

        @Override
        public void end() {}
    };

    /** A step starts; {@code totalBytes} is -1 when unknown. */
    void begin(String task, long totalBytes);

    /** {@code bytes} more bytes were processed. */
    void advance(long bytes);

    /** The step is over (done or failed). */
    void end();
}
