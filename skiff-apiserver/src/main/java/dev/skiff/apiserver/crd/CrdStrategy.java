package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.TypeStrategy;
import dev.skiff.apiserver.registry.DeletionPolicy;
import java.time.Clock;
import java.util.List;

/**
 * The strategy of CustomResourceDefinitions themselves (apiextensions' registry strategy): v1 defaults on decode,
 * {@code status.storedVersions} set on create and extended on update, validation on create and update, and a
 * delete that first only marks the CRD with the {@value #CLEANUP_FINALIZER} finalizer and a {@code Terminating}
 * condition, so that {@link CrdController} removes the instances before the CRD goes.
 */
final class CrdStrategy implements TypeStrategy {

    /** The finalizer that holds a deleted CRD until its instances are gone. */
    static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private final DeletionPolicy deletion;

    CrdStrategy(Clock clock) {
        this.deletion = new DeletionPolicy(CrdStrategy::holdsDeletion, crd -> markTerminating(crd, clock));
    }

    @Override
    public List<String> decode(ObjectNode object) {
        CrdDefaults.apply(object);
        return List.of();
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectNode status = object.putObject("status");
        CrdStatus.addStoredVersion(status, object);
    }

    @Override
    public void prepareForUpdate(ObjectNode current, ObjectNode next, String subresource) {
        if (subresource.isEmpty()) {
            CrdStatus.addStoredVersion(next.withObjectProperty("status"), next);
        }
    }

    @Override
    public void validate(ObjectNode object, ObjectNode current) {
        CrdValidation.validate(object, current);
    }

    @Override
    public DeletionPolicy deletionPolicy() {
        return deletion;
    }

    /** A CRD not yet marked is always held (to be marked); once marked, while finalizers remain. */
    private static boolean holdsDeletion(ObjectNode crd) {
        JsonNode metadata = crd.path("metadata");
        return !metadata.hasNonNull("deletionTimestamp") || !metadata.path("finalizers").isEmpty();
    }

    private static ObjectNode markTerminating(ObjectNode crd, Clock clock) {
        ArrayNode finalizers = crd.withObjectProperty("metadata").withArrayProperty("finalizers");
        boolean present = false;
        for (JsonNode finalizer : finalizers) {
            present |= finalizer.asText().equals(CLEANUP_FINALIZER);
        }
        if (!present) {
            finalizers.add(CLEANUP_FINALIZER);
        }
        CrdStatus.setCondition(crd.withObjectProperty("status"), "Terminating", "True", "InstanceDeletionPending",
                "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon", clock);
        return crd;
    }
}
