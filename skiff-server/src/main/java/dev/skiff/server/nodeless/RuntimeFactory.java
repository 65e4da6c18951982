package dev.skiff.server.nodeless;

import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Makes the instance runtime of one virtual node (vSwitch): simulated, or real sandboxes. */
@FunctionalInterface
public interface RuntimeFactory {

    /** A runtime for the node of {@code vSwitch}; the caller closes it when the node stops. */
    InstanceRuntime start(VSwitch vSwitch, Clock clock, ScheduledExecutorService timers, Executor notifications);

    /** Every node on its own simulated runtime (scale tests, development). */
    static RuntimeFactory simulated() {
        return (vSwitch, clock, timers, notifications) ->
                new SimulatedRuntime(SimulationProfile.defaults(), clock, timers, notifications);
    }
}
