package dev.skiff.node.agent;

import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import dev.skiff.node.runtime.testing.DelegatingRuntime;
import java.util.concurrent.atomic.AtomicInteger;

/** A runtime whose first creates fail as an unreachable provider's would, and which counts create calls. */
final class FlakyRuntime extends DelegatingRuntime {

    private final AtomicInteger failuresLeft;
    final AtomicInteger creates = new AtomicInteger();

    FlakyRuntime(InstanceRuntime delegate, int failures) {
        super(delegate);
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public CreateResult create(InstanceSpec spec) {
        creates.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            throw new RuntimeUnavailableException("provider unreachable (test)", null);
        }
        return super.create(spec);
    }
}
