package dev.skiff.node.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The streams of one exec or attach session, owned by the caller (the runtime reads and writes them but does not
 * close them).
 *
 * @param stdin   input for the command, or null when the request has no stdin; its end (EOF) is the client closing
 *                its input, which the runtime passes on to the process
 * @param stdout  where the command's output goes
 * @param stderr  where its errors go, or null with a tty (the terminal merges them into stdout)
 * @param resizes the client's terminal sizes, for sessions with a tty ({@link TerminalSizeQueue#NONE} otherwise)
 */
public record ExecIo(InputStream stdin, OutputStream stdout, OutputStream stderr, TerminalSizeQueue resizes) {

    public ExecIo {
        resizes = Objects.requireNonNullElse(resizes, TerminalSizeQueue.NONE);
    }

    /** Streams without terminal resizes. */
    public ExecIo(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this(stdin, stdout, stderr, TerminalSizeQueue.NONE);
    }
}
