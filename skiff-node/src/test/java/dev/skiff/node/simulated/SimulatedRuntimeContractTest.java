package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.RestartPolicy;
import dev.skiff.node.runtime.contract.InstanceRuntimeContract;
import dev.skiff.node.runtime.contract.Workload;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The simulated runtime against the shared contract, with stages of a few milliseconds. */
class SimulatedRuntimeContractTest extends InstanceRuntimeContract {

    private ScheduledExecutorService scheduler;
    private ExecutorService notifications;

    @Override
    protected InstanceRuntime newRuntime() {
        scheduler = Executors.newScheduledThreadPool(2);
        notifications = Executors.newVirtualThreadPerTaskExecutor();
        SimulationProfile profile = SimulationProfile.defaults()
                .withStages(SimulationProfile.defaults().stages().stream()
                        .map(s -> s.withTiming(Duration.ofMillis(5), Duration.ofMillis(5))).toList())
                .withRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(40));
        return new SimulatedRuntime(profile, Clock.systemUTC(), scheduler, notifications);
    }

    @Override
    protected InstanceSpec spec(InstanceId id, Workload workload, RestartPolicy policy, Duration grace) {
        Map<String, String> annotations = switch (workload) {
            case Workload.RunsUntilStopped ignored -> Map.of();
            case Workload.ExitsAfter exits -> Map.of(
                    SimulatedBehaviour.EXIT_AFTER, exits.after().toMillis() + "ms",
                    SimulatedBehaviour.EXIT_CODE, Integer.toString(exits.exitCode()));
            case Workload.IgnoresSigterm ignored -> Map.of(SimulatedBehaviour.IGNORE_SIGTERM, "true");
        };
        return InstanceSpec.of(id, "default", "pod-" + id, List.of(ContainerSpec.of("main", "nginx:1.27")))
                .withAnnotations(annotations)
                .withRestartPolicy(policy)
                .withGracePeriod(grace);
    }

    @Override
    protected void afterRuntimeClosed() {
        scheduler.shutdownNow();
        notifications.shutdownNow();
    }
}
