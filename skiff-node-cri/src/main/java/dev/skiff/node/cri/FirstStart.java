package dev.skiff.node.cri;

import java.util.concurrent.CompletableFuture;

/**
 * The first start of an instance, in the kubelet's order but with the waits taken out: the image checks and pulls
 * run while RunPodSandbox creates the sandbox (neither needs the other), then the init containers one by one, then
 * the containers. The containerd work of the start holds a {@link StartGate} permit; a pull still running after the
 * sandbox is up and the init containers' run hold none. Records an {@link InstanceStartEvent} when a Flight Recording
 * asks for it.
 */
final class FirstStart {

    private FirstStart() {
    }

    /**
     * Runs on the instance's worker; throws {@link CriInstance.Interrupted} when a deletion or close ends it.
     *
     * @param event      begun when the runtime's {@code create} made the instance
     * @param createdNanos {@link System#nanoTime()} at that moment
     */
    static void run(CriInstance i, InstanceStartEvent event, long createdNanos) {
        CompletableFuture<Void> pulls = ImagePulls.pullAllConcurrently(i);
        StartGate gate = i.runtime.startGate();
        StartGate.Permit permit = gate.enter(i);
        long entered = System.nanoTime();
        long sandboxUp;
        long imagesReady;
        try {
            i.startSandbox();
            sandboxUp = System.nanoTime();
            if (!pulls.isDone()) {
                // A pull still under way holds no permit: other sandboxes start meanwhile.
                permit.close();
                ImagePulls.join(pulls);
                permit = gate.enter(i);
            }
            ImagePulls.join(pulls);
            imagesReady = System.nanoTime();
            if (!i.init.isEmpty()) {
                // Init containers run as long as they like: no permit while they do.
                permit.close();
                i.runInitContainers();
                permit = gate.enter(i);
            }
            i.startContainers();
        } finally {
            permit.close();
        }
        if (event.shouldCommit()) {
            event.instance = i.spec.id().value();
            event.queued = entered - createdNanos;
            event.sandbox = sandboxUp - entered;
            event.images = imagesReady - sandboxUp;
            event.containers = System.nanoTime() - imagesReady;
            event.commit();
        }
    }
}
