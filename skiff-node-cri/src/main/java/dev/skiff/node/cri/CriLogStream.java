package dev.skiff.node.cri;

import dev.skiff.node.runtime.LogLine;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads a container log file in the CRI format containerd writes: one record per line,
 * {@code <RFC 3339 nano timestamp> <stdout|stderr> <P|F> <text>}, where {@code P} marks a partial line continued by
 * the next record of the same stream and {@code F} a full one (the kubelet's log reader joins partials the same
 * way). Following polls the file for growth until the container's attempt ended and everything is read.
 */
final class CriLogStream implements LogStream {

    /** How often a following reader looks for new lines. */
    private static final long FOLLOW_POLL_MILLIS = 100;

    private final RandomAccessFile file;
    private final LogOptions options;
    private final BooleanSupplier ended;
    private final Deque<LogLine> ready = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private final StringBuilder pendingBytes = new StringBuilder();
    private long bytesLeft;
    private volatile boolean closed;

    private CriLogStream(RandomAccessFile file, LogOptions options, BooleanSupplier ended) {
        this.file = file;
        this.options = options;
        this.ended = ended;
        this.bytesLeft = options.limitBytes() > 0 ? options.limitBytes() : Long.MAX_VALUE;
    }

    static LogStream empty() {
        return new CriLogStream(null, LogOptions.ALL, () -> true);
    }

    /**
     * Opens {@code path} (which may not exist yet while the container starts) with the tail and since filters
     * applied to what exists now.
     *
     * @param ended answers true once no more lines will be written (the attempt exited, the instance is gone)
     */
    static LogStream open(Path path, LogOptions options, BooleanSupplier ended) {
        try {
            if (!Files.exists(path)) {
                return empty();
            }
            CriLogStream stream = new CriLogStream(new RandomAccessFile(path.toFile(), "r"), options, ended);
            stream.readAvailable();
            if (options.tailLines() >= 0) {
                while (stream.ready.size() > options.tailLines()) {
                    stream.ready.pollFirst();
                }
            }
            return stream;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parses every complete record now in the file. */
    private void readAvailable() throws IOException {
        if (file == null) {
            return;
        }
        byte[] buffer = new byte[8192];
        int n;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while ((n = file.read(buffer)) > 0) {
            bytes.write(buffer, 0, n);
        }
        if (bytes.size() == 0) {
            return;
        }
        pendingBytes.append(bytes.toString(StandardCharsets.UTF_8));
        int newline;
        while ((newline = pendingBytes.indexOf("\n")) >= 0) {
            String record = pendingBytes.substring(0, newline);
            pendingBytes.delete(0, newline + 1);
            parse(record);
        }
    }

    private void parse(String record) {
        int first = record.indexOf(' ');
        int second = first < 0 ? -1 : record.indexOf(' ', first + 1);
        int third = second < 0 ? -1 : record.indexOf(' ', second + 1);
        if (third < 0) {
            return;
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(record.substring(0, first));
        } catch (RuntimeException e) {
            return;
        }
        LogLine.Stream stream = "stderr".equals(record.substring(first + 1, second)) ? LogLine.Stream.STDERR
                : LogLine.Stream.STDOUT;
        String tag = record.substring(second + 1, third);
        partial.append(record, third + 1, record.length());
        if (tag.startsWith("P")) {
            return;
        }
        String text = partial.toString();
        partial.setLength(0);
        if (options.sinceTime() != null && timestamp.isBefore(options.sinceTime())) {
            return;
        }
        ready.addLast(new LogLine(timestamp, stream, text));
    }

    @Override
    public Optional<LogLine> next() throws InterruptedException {
        while (!closed) {
            if (!ready.isEmpty()) {
                LogLine line = ready.pollFirst();
                long size = line.text().getBytes(StandardCharsets.UTF_8).length;
                if (size > bytesLeft) {
                    close();
                    return Optional.empty();
                }
                bytesLeft -= size;
                return Optional.of(line);
            }
            if (!options.follow()) {
                return Optional.empty();
            }
            // Read once more after the attempt ended, so lines written just before the exit are not lost.
            boolean over = ended.getAsBoolean();
            try {
                readAvailable();
            } catch (IOException e) {
                return Optional.empty();
            }
            if (ready.isEmpty()) {
                if (over) {
                    return Optional.empty();
                }
                Thread.sleep(FOLLOW_POLL_MILLIS);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing to do: the stream is over either way
            }
        }
    }
}
