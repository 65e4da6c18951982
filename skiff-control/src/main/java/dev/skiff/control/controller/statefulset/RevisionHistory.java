package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.statefulset.Revisions.Decision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes a StatefulSet's ControllerRevisions, after upstream's {@code getStatefulSetRevisions},
 * {@code realHistory.CreateControllerRevision} and {@code truncateHistory}: the decisions are {@link Revisions}'.
 *
 * <p>Thread-safe; blocks on API calls.
 */
final class RevisionHistory {

    /** The revisions one sync works with. */
    record Resolved(ControllerRevision current, ControllerRevision update, int collisionCount,
                    List<ControllerRevision> revisions) {
    }

    /** Upstream gives up after this many name collisions rather than loop forever on a broken server. */
    private static final int MAX_COLLISIONS = 100;

    private final KubernetesClient client;

    RevisionHistory(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Finds or makes the revision of the set's template (the update revision) and the revision the set reports as
     * current (the update revision when the set has none yet, as on first sync).
     */
    Resolved resolve(StatefulSet set, List<ControllerRevision> sorted, int collisionCount) {
        List<ControllerRevision> revisions = new ArrayList<>(sorted);
        ControllerRevision update;
        int collisions = collisionCount;
        switch (Revisions.decide(set, sorted, collisionCount)) {
            case Decision.Unchanged unchanged -> update = unchanged.revision();
            case Decision.Renumber renumber -> {
                // A rollback: the old revision becomes the newest, so history and kubectl see it as the latest.
                update = client.apps().controllerRevisions().inNamespace(set.getMetadata().getNamespace())
                        .withName(renumber.revision().getMetadata().getName())
                        .edit(r -> {
                            r.setRevision(renumber.number());
                            return r;
                        });
                revisions.remove(renumber.revision());
                revisions.add(update);
            }
            case Decision.Create create -> {
                ControllerRevision wanted = create.revision();
                ControllerRevision created = null;
                for (int attempt = 0; created == null; attempt++) {
                    if (attempt > MAX_COLLISIONS) {
                        throw new IllegalStateException("too many ControllerRevision name collisions for "
                                + set.getMetadata().getName());
                    }
                    try {
                        created = client.apps().controllerRevisions().inNamespace(set.getMetadata().getNamespace())
                                .resource(wanted).create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) {
                            throw e;
                        }
                        ControllerRevision existing = client.apps().controllerRevisions()
                                .inNamespace(set.getMetadata().getNamespace())
                                .withName(wanted.getMetadata().getName()).get();
                        if (existing != null && Revisions.equal(existing, wanted)) {
                            created = existing;
                        } else if (existing != null) {
                            // Same name, other content: upstream bumps the collision count, which changes the hash.
                            collisions++;
                            wanted = Revisions.newRevision(set, Revisions.number(wanted), collisions);
                        }
                    }
                }
                update = created;
                revisions.add(update);
            }
        }
        ControllerRevision current = update;
        String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        for (ControllerRevision revision : revisions) {
            if (revision.getMetadata().getName().equals(currentName)) {
                current = revision;
                break;
            }
        }
        return new Resolved(current, update, collisions, Revisions.sorted(revisions));
    }

    /** Deletes history beyond {@code revisionHistoryLimit} that no pod, nor the current or update revision, uses. */
    void prune(StatefulSet set, List<ControllerRevision> sorted, Set<String> live) {
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        for (ControllerRevision revision : Revisions.toPrune(sorted, live, limit)) {
            try {
                client.apps().controllerRevisions().inNamespace(set.getMetadata().getNamespace())
                        .withName(revision.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }
}
