package dev.skiff.node.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The streams of one exec session, owned by the caller (the runtime reads and writes them but does not close them).
 *
 * @param stdin  input for the command, or null when the request has no stdin
 * @param stdout where the command's output goes
 * @param stderr where its errors go, or null with a tty
 */
public record ExecIo(InputStream stdin, OutputStream stdout, OutputStream stderr) {
}
