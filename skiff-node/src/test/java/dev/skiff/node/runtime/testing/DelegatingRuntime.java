package dev.skiff.node.runtime.testing;

import dev.skiff.node.runtime.AttachRequest;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceListener;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceStats;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import dev.skiff.node.runtime.PortForwardResult;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.runtime.RuntimeInfo;
import dev.skiff.node.runtime.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Passes every call to another runtime; tests extend it and override only the calls they observe or break (record
 * specs, fail creates, refuse pulls), so each double states just its difference.
 */
public class DelegatingRuntime implements InstanceRuntime {

    private final InstanceRuntime delegate;

    public DelegatingRuntime(InstanceRuntime delegate) {
        this.delegate = delegate;
    }

    @Override
    public RuntimeInfo info() {
        return delegate.info();
    }

    @Override
    public CreateResult create(InstanceSpec spec) {
        return delegate.create(spec);
    }

    @Override
    public CompletableFuture<DeleteResult> delete(InstanceId id, Duration gracePeriod) {
        return delegate.delete(id, gracePeriod);
    }

    @Override
    public Optional<InstanceStatus> status(InstanceId id) {
        return delegate.status(id);
    }

    @Override
    public List<InstanceStatus> list() {
        return delegate.list();
    }

    @Override
    public Subscription subscribe(InstanceListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public LogStream logs(InstanceId id, String container, LogOptions options) {
        return delegate.logs(id, container, options);
    }

    @Override
    public CompletableFuture<ExecResult> exec(InstanceId id, String container, ExecRequest request, ExecIo io) {
        return delegate.exec(id, container, request, io);
    }

    @Override
    public CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> credentials) {
        return delegate.pullImage(image, credentials);
    }

    @Override
    public CompletableFuture<ExecResult> attach(InstanceId id, String container, AttachRequest request, ExecIo io) {
        return delegate.attach(id, container, request, io);
    }

    @Override
    public PortForwardResult portForward(InstanceId id, int port) {
        return delegate.portForward(id, port);
    }

    @Override
    public CompletableFuture<Boolean> killContainer(InstanceId id, String container, Duration gracePeriod,
                                                    String reason) {
        return delegate.killContainer(id, container, gracePeriod, reason);
    }

    @Override
    public Optional<InstanceStats> stats(InstanceId id) {
        return delegate.stats(id);
    }

    @Override
    public Optional<EphemeralUsage> ephemeralStorage(InstanceId id) {
        return delegate.ephemeralStorage(id);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
