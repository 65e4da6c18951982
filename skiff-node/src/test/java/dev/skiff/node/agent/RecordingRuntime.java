package dev.skiff.node.agent;

import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.testing.DelegatingRuntime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A runtime that records the spec of every instance it is asked to create (what a real runtime would run). */
final class RecordingRuntime extends DelegatingRuntime {

    final Map<InstanceId, InstanceSpec> specs = new ConcurrentHashMap<>();

    RecordingRuntime(InstanceRuntime delegate) {
        super(delegate);
    }

    @Override
    public CreateResult create(InstanceSpec spec) {
        specs.put(spec.id(), spec);
        return super.create(spec);
    }
}
