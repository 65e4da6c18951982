package dev.skiff.node.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.ComputeResources;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.ResourceRequirements;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 50,000 simulated instances in one process: all reach Running on two scheduler threads, and what they keep in
 * memory is bounded per instance. Not a benchmark: nothing here asserts on speed.
 */
class SimulatedScaleTest {

    private static final int INSTANCES = 50_000;

    /** Generous: an idle instance is a few hundred bytes; this catches a thread, buffer or history per instance. */
    private static final long MAX_BYTES_PER_INSTANCE = 4096;

    @Test
    void fiftyThousandInstancesRunWithBoundedMemory() {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ExecutorService notifications = Executors.newVirtualThreadPerTaskExecutor();
        SimulatedRuntime runtime = new SimulatedRuntime(SimulationProfile.instant(), Clock.systemUTC(), scheduler,
                notifications);
        try {
            AtomicInteger running = new AtomicInteger();
            runtime.subscribe(event -> {
                if (event instanceof InstanceEvent.StatusChanged changed
                        && changed.status().state() instanceof InstanceState.Running) {
                    running.incrementAndGet();
                }
            });
            // One Deployment's worth of identical pods: specs share their containers, as the node agent's would.
            List<ContainerSpec> containers = List.of(ContainerSpec.of("web", "nginx:1.27").withResources(
                    new ResourceRequirements(ComputeResources.of(250, 256L << 20), ComputeResources.NONE)));
            long before = usedHeapAfterGc();

            for (int i = 0; i < INSTANCES; i++) {
                runtime.create(InstanceSpec.of(InstanceId.of("pod-" + i), "default", "web-" + i, containers));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> running.get() >= INSTANCES);
            assertThat(runtime.size()).isEqualTo(INSTANCES);
            assertThat(runtime.list()).allMatch(s -> s.state() instanceof InstanceState.Running);
            long perInstance = (usedHeapAfterGc() - before) / INSTANCES;
            System.out.printf("%d running simulated instances retain about %d bytes each%n", INSTANCES, perInstance);
            assertThat(perInstance).as("retained heap per running instance, bytes").isLessThan(MAX_BYTES_PER_INSTANCE);
            // Timers do not outlive their use: nothing is left queued for instances that just run.
            assertThat(((java.util.concurrent.ThreadPoolExecutor) scheduler).getQueue()).isEmpty();
        } finally {
            runtime.close();
            scheduler.shutdownNow();
            notifications.shutdownNow();
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
