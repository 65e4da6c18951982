/**
 * The StatefulSet controller (apps/v1), after upstream's {@code pkg/controller/statefulset}: pods with stable
 * names {@code <set>-<ordinal>} and stable claims {@code <template>-<set>-<ordinal>}, created and removed in ordinal
 * order ({@code OrderedReady}) or all at once ({@code Parallel}), rolled to a new template highest ordinal first, and
 * a history of templates kept as ControllerRevisions (which {@code kubectl rollout history/undo} read).
 *
 * <p>The decisions are pure and table-tested: {@link dev.skiff.control.controller.statefulset.StatefulSetSync} plans
 * one sync over a snapshot of pods, {@link dev.skiff.control.controller.statefulset.Revisions} derives revision data,
 * names and history, {@link dev.skiff.control.controller.statefulset.ClaimRetention} decides who owns each claim.
 * {@link dev.skiff.control.controller.statefulset.StatefulSetController} reads informer caches and carries the plan
 * out through the API.
 */
package dev.skiff.control.controller.statefulset;
