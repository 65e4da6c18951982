package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.RegistryAccess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Pulls an instance's images before its containers are created, as the kubelet does per container: by
 * {@code imagePullPolicy}, reporting {@code ErrImagePull} after a failure and {@code ImagePullBackOff} while waiting
 * for the next attempt (the restart backoff's timings), {@code ErrImageNeverPull} when the policy forbids pulling a
 * missing image. Pulls use the instance's credentials and registry annotations ({@link CriImages}).
 */
final class ImagePulls {

    /** An image is missing and the pull policy forbids pulling it. */
    private static final class NeverPull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeverPull(String message) {
            super(message, null, false, false);
        }
    }

    private ImagePulls() {
    }

    /**
     * Starts {@link #pullAll} on a virtual thread of its own, so the images are checked (and pulled) while
     * RunPodSandbox creates the sandbox: the two are independent (a pull needs no sandbox, a sandbox no image) and
     * the kubelet doing them one after the other only adds their times. Join with {@link #join}.
     */
    static CompletableFuture<Void> pullAllConcurrently(CriInstance i) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-pull-" + i.spec.id()).start(() -> {
            try {
                pullAll(i);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Waits for {@link #pullAllConcurrently}; rethrows what ended it (a deletion's {@code Interrupted}...). */
    static void join(CompletableFuture<Void> pulls) {
        try {
            pulls.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    static void pullAll(CriInstance i) {
        for (Track t : i.tracks()) {
            int failures = 0;
            while (true) {
                i.checkGoing();
                try {
                    String ref = ensureImage(i, t);
                    synchronized (i.lock) {
                        t.imageRef = ref;
                    }
                    break;
                } catch (NeverPull e) {
                    // The kubelet's ErrImageNeverPull: nothing to pull; look again after the backoff.
                    synchronized (i.lock) {
                        t.state = new ContainerState.Waiting("ErrImageNeverPull", e.getMessage());
                        i.occurred(t.spec.name(), true, "ErrImageNeverPull", e.getMessage());
                        i.changed();
                    }
                    i.await(i.runtime.now().plus(i.runtime.config().backoff(failures++)));
                } catch (CriException | IllegalArgumentException e) {
                    if (e instanceof CriException cri && cri.unreachable()) {
                        throw e;
                    }
                    // The kubelet's image pull states: ErrImagePull right after a failure, ImagePullBackOff while
                    // waiting for the next attempt. Its message and event both read "Failed to pull image "<image>":
                    // <the CRI's error>" (evalCRIPullErr in the kubelet's image manager).
                    String why = e instanceof CriException cri ? cri.grpcMessage() : e.getMessage();
                    String message = "Failed to pull image \"" + t.spec.image() + "\": " + why;
                    Duration backoff = i.runtime.config().backoff(failures++);
                    synchronized (i.lock) {
                        t.state = new ContainerState.Waiting("ErrImagePull", message);
                        i.occurred(t.spec.name(), true, "Failed", message);
                        i.changed();
                    }
                    i.await(i.runtime.now().plus(backoff.dividedBy(2)));
                    synchronized (i.lock) {
                        t.state = new ContainerState.Waiting("ImagePullBackOff", "Back-off pulling image \""
                                + t.spec.image() + "\"");
                        i.occurred(t.spec.name(), false, "BackOff", "Back-off pulling image \"" + t.spec.image()
                                + "\"");
                        i.changed();
                    }
                    i.await(i.runtime.now().plus(backoff.dividedBy(2)));
                }
            }
        }
    }

    private static String ensureImage(CriInstance i, Track t) {
        ImagePullPolicy policy = t.spec.imagePullPolicy();
        if (policy != ImagePullPolicy.ALWAYS) {
            var present = i.client.imageId(t.spec.image());
            if (present.isPresent()) {
                return present.get();
            }
            if (policy == ImagePullPolicy.NEVER) {
                throw new NeverPull("Container image \"" + t.spec.image()
                        + "\" is not present with pull policy of Never");
            }
        }
        i.occurred(t.spec.name(), false, "Pulling", "Pulling image \"" + t.spec.image() + "\"");
        // The pod's own credentials (its imagePullSecrets, picked per registry) and registry annotations.
        InstanceSpec spec;
        synchronized (i.lock) {
            spec = i.spec;
        }
        String ref = i.runtime.images().pullNow(t.spec.image(), spec.pullCredentials(),
                RegistryAccess.fromAnnotations(spec.annotations()));
        i.occurred(t.spec.name(), false, "Pulled", "Successfully pulled image \"" + t.spec.image() + "\"");
        return ref;
    }

}
