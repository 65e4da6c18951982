/**
 * The garbage collector's parts, after kube-controller-manager's {@code pkg/controller/garbagecollector}:
 * {@link dev.skiff.control.controller.gc.ResourceMonitors} finds every deletable resource through discovery and
 * watches it with a metadata-only informer; {@link dev.skiff.control.controller.gc.DependencyGraph} indexes the
 * objects by uid and owner uid; {@link dev.skiff.control.controller.gc.GcRules} decides, purely, what to do with
 * an object given its owners' and dependents' states; {@link dev.skiff.control.controller.gc.ObjectWrites} carries
 * the decisions out through the API. {@link dev.skiff.control.controller.GarbageCollector} composes them.
 */
package dev.skiff.control.controller.gc;
