package dev.skiff.node.cri;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.RestartPolicy;
import dev.skiff.node.runtime.contract.InstanceRuntimeContract;
import dev.skiff.node.runtime.contract.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cri runtime against the shared contract, on a real containerd, runc and CNI bridge. */
class CriRuntimeContractTest extends InstanceRuntimeContract {

    private static CriTestHost host;

    @BeforeAll
    static void startHost() {
        host = CriTestHost.start();
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @Override
    protected InstanceRuntime newRuntime() {
        return host.newRuntime();
    }

    @Override
    protected Duration patience() {
        // Real sandboxes on a shared 2-core machine: an upper bound, never an expected duration.
        return Duration.ofSeconds(180);
    }

    @Override
    protected InstanceSpec spec(InstanceId id, Workload workload, RestartPolicy policy, Duration grace) {
        List<String> command = switch (workload) {
            // busybox sh as PID 1 gets no default SIGTERM action: the trap makes it exit 0 on SIGTERM at once
            // (wait is interrupted by the signal, sleep is not).
            case Workload.RunsUntilStopped ignored ->
                    List.of("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done");
            case Workload.ExitsAfter exits -> List.of("sh", "-c", "sleep " + exits.after().toMillis() / 1000.0
                    + "; exit " + exits.exitCode());
            case Workload.IgnoresSigterm ignored ->
                    List.of("sh", "-c", "trap '' TERM; while true; do sleep 1; done");
        };
        ContainerSpec container = ContainerSpec.of("main", host.busybox()).withCommand(command, List.of());
        return InstanceSpec.of(id, "default", "pod-" + id.value().substring(0, 8), List.of(container))
                .withRestartPolicy(policy)
                .withGracePeriod(grace);
    }
}
