package dev.skiff.node.cri;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * How one instance's start was spent, as a Flight Recorder event spanning the runtime's {@code create} until its
 * containers were started: the wait before its worker ran, RunPodSandbox (pause container and CNI ADD), the image
 * checks or pulls, and the containers' CreateContainer/StartContainer. With the {@code dev.skiff.cri.Call} events and
 * the benchmark's bound → Running, it splits a pod start between the node agent, this runtime and containerd.
 */
@Name("dev.skiff.cri.InstanceStart")
@Label("CRI instance start")
@Category({"Skiff", "CRI"})
@Description("Stages of one pod sandbox start in the cri runtime")
@StackTrace(false)
final class InstanceStartEvent extends Event {

    @Label("Instance")
    String instance;

    @Label("Queued")
    @Timespan(Timespan.NANOSECONDS)
    long queued;

    @Label("Sandbox")
    @Timespan(Timespan.NANOSECONDS)
    long sandbox;

    /** Waited for the image checks or pulls after the sandbox was up (they run while it is created). */
    @Label("Images")
    @Timespan(Timespan.NANOSECONDS)
    long images;

    @Label("Containers")
    @Timespan(Timespan.NANOSECONDS)
    long containers;
}
