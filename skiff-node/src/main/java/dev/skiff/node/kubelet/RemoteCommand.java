package dev.skiff.node.kubelet;

import dev.skiff.node.runtime.AttachRequest;
import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceNotFoundException;
import dev.skiff.node.runtime.InstanceRuntime;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /exec/{namespace}/{pod}/{container}?command=...&stdin&stdout&stderr&tty} and
 * {@code /attach/{namespace}/{pod}/{container}?stdin&stdout&stderr&tty}: validates the request as the kubelet does
 * (at least one stream, no stderr with a tty, a command for exec, a running container), upgrades to a
 * {@link ChannelSession} and runs the command (or attaches) through the runtime.
 */
final class RemoteCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommand.class);

    private final PodDirectory pods;
    private final InstanceRuntime runtime;

    RemoteCommand(PodDirectory pods, InstanceRuntime runtime) {
        this.pods = pods;
        this.runtime = runtime;
    }

    /** Serves one request on the calling (virtual) thread; returns when the session has ended. */
    void serve(boolean attach, String namespace, String name, String container, HttpServerRequest request) {
        MultiMap query = request.params();
        boolean stdin = ContainerLogs.flag(query, "stdin") || ContainerLogs.flag(query, "input");
        boolean stdout = ContainerLogs.flag(query, "stdout") || ContainerLogs.flag(query, "output");
        boolean stderr = ContainerLogs.flag(query, "stderr") || ContainerLogs.flag(query, "error");
        boolean tty = ContainerLogs.flag(query, "tty");
        List<String> command = query.getAll("command");
        // The kubelet's remotecommand option checks, with its messages.
        if (!stdin && !stdout && !stderr) {
            throw KubeletError.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        if (tty && stderr) {
            // kubectl asks for stderr=false with a tty; the kubelet tolerates it by merging, as here.
            stderr = false;
        }
        if (!attach && command.isEmpty()) {
            throw KubeletError.badRequest("you must specify at least one command for the container");
        }
        if (!request.canUpgradeToWebSocket()) {
            throw KubeletError.badRequest("Upgrade request required");
        }
        ServerWebSocket socket = upgrade(request);
        if (!ChannelSession.PROTOCOLS.contains(socket.subProtocol())) {
            socket.close((short) 1002, "expected one of the protocols " + ChannelSession.PROTOCOLS);
            return;
        }
        ChannelSession session = new ChannelSession(socket);
        socket.resume();
        Target target;
        try {
            // Checked after the upgrade, so the refusal reaches kubectl on the error channel: a refused handshake
            // would make kubectl retry over SPDY and report that attempt's error instead of this one.
            target = Target.container(pods, namespace, name, container);
            target.requireRunning(runtime);
        } catch (KubeletError e) {
            session.fail(e.getMessage());
            return;
        }
        ExecIo io = session.io(stdin, stdout, stderr, tty);
        CompletableFuture<ExecResult> result;
        try {
            result = attach
                    ? runtime.attach(target.instance(), container, new AttachRequest(stdin, tty), io)
                    : runtime.exec(target.instance(), container, new ExecRequest(command, stdin, tty), io);
        } catch (InstanceNotFoundException | ContainerNotFoundException e) {
            session.fail("container not found (\"" + container + "\")");
            return;
        } catch (RuntimeException e) {
            session.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        try {
            // When the client goes away first the runtime sees its streams end; the command's end is still awaited.
            session.finish(result.get(), command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.fail("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.debug("{} in {}/{}/{} failed", attach ? "attach" : "exec", namespace, name, container, e.getCause());
            session.fail(e.getCause() == null ? e.toString() : String.valueOf(e.getCause().getMessage()));
        }
    }

    static ServerWebSocket upgrade(HttpServerRequest request) {
        try {
            // Paused on the event loop as soon as it exists, so frames sent right after the handshake (stdin, the
            // first terminal size) wait for the session's handlers instead of being dropped.
            return request.toWebSocket().onSuccess(ServerWebSocket::pause).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeletError(500, "interrupted during the WebSocket upgrade");
        } catch (Exception e) {
            throw new KubeletError(400, "WebSocket upgrade failed: " + e.getMessage());
        }
    }
}
