package dev.skiff.server.image;

import dev.skiff.image.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A {@link Progress} drawn as a progress bar (in KiB or MiB, with speed) on a terminal stream, one bar per step. Not
 * thread-safe: one step at a time, as the builder and the pusher run them.
 */
final class ConsoleProgress implements Progress {

    /** A fixed width: asking the terminal for its width would open it, which fails without one (CI, pipes). */
    private static final int WIDTH = 100;

    private final PrintStream stream;
    private final String prefix;
    private ProgressBar bar;

    ConsoleProgress(PrintStream stream, String prefix) {
        this.stream = stream;
        this.prefix = prefix;
    }

    @Override
    public void begin(String task, long totalBytes) {
        end();
        bar = new ProgressBarBuilder()
                .setTaskName(prefix + " " + task)
                .setInitialMax(Math.max(totalBytes, 0))
                .setUnit(totalBytes >= 8L * 1024 * 1024 ? " MiB" : " KiB",
                        totalBytes >= 8L * 1024 * 1024 ? 1024 * 1024 : 1024)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(stream, WIDTH))
                .build();
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
