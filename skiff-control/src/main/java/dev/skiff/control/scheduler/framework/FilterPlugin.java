package dev.skiff.control.scheduler.framework;

/**
 * A filter extension point (upstream's PreFilter + Filter pair): {@link #prepare} runs once per pod and does the
 * per-pod work (counting matching pods per topology domain, compiling terms), the returned {@link NodeFilter} runs
 * per node.
 *
 * <p>Implementations are stateless between cycles and thread-safe; they do no I/O and never block. They must not
 * change the snapshot.
 */
public interface FilterPlugin {

    /** The plugin name (upstream's, where one exists), used in diagnostics. */
    String name();

    /** Prepares this plugin's check for the cycle's pod; {@link NodeFilter#PASS_ALL} when nothing applies. */
    NodeFilter prepare(PodCycle cycle);
}
