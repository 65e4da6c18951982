package dev.skiff.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.admission.PodSelectors;
import dev.skiff.apiserver.handler.TypeStrategy;
import dev.skiff.apiserver.registry.DeletionPolicy;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The pod's per-kind behaviour beyond the generic registry: admission (the ECI Profile's selectors,
 * {@link ProfileEffects}, then the virtual nodes' toleration, {@link VirtualNodeToleration}, and upstream's default
 * NoExecute tolerations, {@link DefaultTolerationSeconds}), validation of what a sandbox runs ({@link SandboxPolicy},
 * {@link VolumeValidation}), graceful deletion and answering a delete with the deleted pod (upstream's pod
 * storage sets ReturnDeletedObject). Stateless and thread-safe.
 */
public final class PodStrategy implements TypeStrategy {

    /**
     * How pods are deleted: finalizers as for every kind, plus upstream's {@code CheckGracefulDelete}. The grace is
     * the client's {@code gracePeriodSeconds}, else {@code spec.terminationGracePeriodSeconds}, else 0; a pod not
     * bound to a node, or already Succeeded or Failed, has nothing to stop and goes at once (grace 0).
     */
    public static final DeletionPolicy DELETION = new DeletionPolicy(
            pod -> nonEmpty(pod.path("metadata").path("finalizers")), pod -> pod, PodStrategy::gracePeriod);

    private final PodSelectors selectors;
    private final Function<String, Map<String, String>> namespaceLabels;

    /** Without profile selectors. */
    public PodStrategy() {
        this(PodSelectors.NONE, namespace -> Map.of());
    }

    /**
     * @param selectors       the ECI Profile's selectors in force
     * @param namespaceLabels a namespace's labels by name (empty when it has none); must not block for long, it
     *                        runs on the create path
     */
    public PodStrategy(PodSelectors selectors, Function<String, Map<String, String>> namespaceLabels) {
        this.selectors = Objects.requireNonNull(selectors, "selectors");
        this.namespaceLabels = Objects.requireNonNull(namespaceLabels, "namespaceLabels");
    }

    @Override
    public void prepareForCreate(ObjectNode pod) {
        ProfileEffects.admit(pod, selectors.current(), namespaceLabels);
        VirtualNodeToleration.admit(pod);
        DefaultTolerationSeconds.admit(pod);
    }

    /**
     * On create: what an elastic container instance never runs ({@link SandboxPolicy}) and upstream's volume and
     * mount validation ({@link VolumeValidation}), all causes in one 422 as upstream reports them.
     */
    @Override
    public void validate(ObjectNode pod, ObjectNode current) {
        if (current != null) {
            return; // a pod's spec is immutable apart from images and tolerations: checked when it was created
        }
        List<Status.Cause> causes = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        VolumeValidation.check(spec, causes);
        SandboxPolicy.check(spec, causes);
        if (!causes.isEmpty()) {
            throw ApiException.invalid("", "Pod", pod.path("metadata").path("name").asText(""), causes);
        }
    }

    @Override
    public DeletionPolicy deletionPolicy() {
        return DELETION;
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    static OptionalLong gracePeriod(ObjectNode pod, Long requested) {
        long period;
        if (requested != null) {
            period = requested;
        } else {
            JsonNode configured = pod.path("spec").path("terminationGracePeriodSeconds");
            period = configured.canConvertToLong() ? configured.asLong() : 0;
        }
        if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
            period = 0;
        }
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            period = 0;
        }
        if (period < 0) {
            period = 1;
        }
        // Always graceful (upstream returns true): even grace 0 marks before it removes, so watchers see both.
        return OptionalLong.of(period);
    }

    private static boolean nonEmpty(JsonNode node) {
        return node.isArray() && !node.isEmpty();
    }
}
