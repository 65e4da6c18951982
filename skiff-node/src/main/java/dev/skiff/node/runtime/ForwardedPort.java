package dev.skiff.node.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One TCP connection to a port inside an instance's network namespace, opened by
 * {@link InstanceRuntime#portForward}: what the kubelet's port-forward copies a client's stream into and out of.
 * {@link #input()} and {@link #output()} may be used by two threads at once (one each); {@link #close()} from any.
 */
public interface ForwardedPort extends AutoCloseable {

    /** What the pod's process sends; ends (EOF) when it closes its side. Reads block (use a virtual thread). */
    InputStream input() throws IOException;

    /** Bytes for the pod's process; writes block while it does not read. */
    OutputStream output() throws IOException;

    /** Half-closes the connection: the pod's process sees EOF, its replies still arrive. Idempotent. */
    void closeOutput() throws IOException;

    /** Closes the connection both ways. Idempotent. */
    @Override
    void close();
}
