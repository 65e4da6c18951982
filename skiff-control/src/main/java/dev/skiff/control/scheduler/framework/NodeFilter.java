package dev.skiff.control.scheduler.framework;

/**
 * A filter prepared for one pod: tells whether a node can host it. Pure and fast; called on the scheduling thread
 * once per node of the cycle, never retained after it.
 */
@FunctionalInterface
public interface NodeFilter {

    /** Lets every node pass (a plugin with nothing to check for this pod). */
    NodeFilter PASS_ALL = node -> FilterStatus.PASS;

    FilterStatus filter(NodeInfo node);
}
