package dev.skiff.control.controller.disruption;

import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The disruption controller, as upstream's {@code pkg/controller/disruption/disruption.go}: for every
 * PodDisruptionBudget, computes its status from the pods it selects ({@link BudgetStatus}) and writes it through
 * the status subresource, so that {@code pods/eviction} in the API server can spend and refuse disruptions.
 * A budget is synced when it or one of the pods it selects changes, and again when an eviction it recorded in
 * {@code status.disruptedPods} expires without the pod having been deleted.
 *
 * <p>Events as upstream: {@code NoPods}, {@code UnmanagedPods} (written with a status change only, as this recorder
 * does not aggregate) and {@code CalculateExpectedPodCountFailed}.
 *
 * <p>Thread-safe: its {@link Controller} never syncs one budget on two threads. Reconciles block on API calls.
 */
public final class DisruptionController implements Reconciler, AutoCloseable {

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<PodDisruptionBudget> budgets;
    private final SharedIndexInformer<Pod> pods;
    private final ScaleFinder scales;
    private final EventRecorder events;
    private final Controller controller;

    public DisruptionController(KubernetesClient client, Clock clock, SharedIndexInformer<PodDisruptionBudget> budgets,
                                SharedIndexInformer<Pod> pods, SharedIndexInformer<ReplicaSet> replicaSets,
                                SharedIndexInformer<Deployment> deployments, int workers,
                                ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.budgets = budgets;
        this.pods = pods;
        this.scales = new WorkloadScales(client, replicaSets, deployments);
        this.events = new EventRecorder(client, clock, "controllermanager");
        this.controller = new Controller("disruption", this, workers, executor);
        controller.watch(budgets);
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueBudgetsOf(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                enqueueBudgetsOf(after);
                if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
                    enqueueBudgetsOf(before);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                enqueueBudgetsOf(pod);
            }
        });
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        PodDisruptionBudget pdb = budgets.getIndexer().getByKey(key);
        if (pdb == null) {
            return;
        }
        List<Pod> selected = selectedPods(pdb);
        Instant now = clock.instant();
        PodDisruptionBudgetStatus status;
        Instant recheck = null;
        List<String> unmanaged = List.of();
        String failure = null;
        try {
            BudgetStatus.Result result = BudgetStatus.compute(pdb, selected, scales, now);
            status = result.status();
            recheck = result.recheckAt();
            unmanaged = result.unmanaged();
        } catch (BudgetStatus.SyncFailed e) {
            failure = e.getMessage();
            status = BudgetStatus.failSafe(pdb, failure, now);
        }
        if (!BudgetStatus.same(status, pdb.getStatus())) {
            write(pdb, status);
            if (failure != null) {
                events.warning(pdb, "CalculateExpectedPodCountFailed",
                        "Failed to calculate the number of expected pods: " + failure);
            } else if (selected.isEmpty()) {
                events.normal(pdb, "NoPods", "No matching pods found");
            } else if (!unmanaged.isEmpty()) {
                events.warning(pdb, "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: "
                        + pdb.getSpec().getSelector() + ") were found to be unmanaged. As a result, the status of "
                        + "the PDB cannot be calculated correctly, which may result in undefined behavior. To account "
                        + "for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
            }
        }
        if (recheck != null) {
            controller.enqueueAfter(key, Duration.between(now, recheck));
        }
    }

    /** The pods of the budget's namespace its selector matches (policy/v1: nil selects none, empty selects all). */
    private List<Pod> selectedPods(PodDisruptionBudget pdb) {
        Selector selector = Selector.of(pdb.getSpec() == null ? null : pdb.getSpec().getSelector());
        return pods.getIndexer().byIndex("namespace", pdb.getMetadata().getNamespace()).stream()
                .filter(p -> selector.matches(labels(p)))
                .toList();
    }

    private void write(PodDisruptionBudget pdb, PodDisruptionBudgetStatus status) {
        PodDisruptionBudget copy = new PodDisruptionBudgetBuilder(pdb).withStatus(status).build();
        try {
            client.policy().v1().podDisruptionBudget().inNamespace(pdb.getMetadata().getNamespace()).resource(copy)
                    .updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e; // a conflict (an eviction spent the budget meanwhile) requeues on the newer budget
            }
        }
    }

    /** Upstream's {@code getPdbForPod}, enqueueing every budget selecting the pod. */
    private void enqueueBudgetsOf(Pod pod) {
        Map<String, String> labels = labels(pod);
        for (PodDisruptionBudget pdb : budgets.getIndexer().byIndex("namespace", pod.getMetadata().getNamespace())) {
            if (Selector.of(pdb.getSpec() == null ? null : pdb.getSpec().getSelector()).matches(labels)) {
                controller.enqueue(Keys.of(pdb));
            }
        }
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }

    @Override
    public void close() {
        controller.close();
    }
}
