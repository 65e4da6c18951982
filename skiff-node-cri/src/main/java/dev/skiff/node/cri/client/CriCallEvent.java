package dev.skiff.node.cri.client;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One CRI call as a Flight Recorder event, so a recording ({@code -XX:StartFlightRecording}) shows how long each
 * RunPodSandbox, CreateContainer, StartContainer... took and how many a pod start made. Costs nothing while no
 * recording runs (JFR disables uncommitted events); no stack trace, to keep the recording small.
 */
@Name("dev.skiff.cri.Call")
@Label("CRI call")
@Category({"Skiff", "CRI"})
@Description("A call to the container runtime's CRI service")
@StackTrace(false)
final class CriCallEvent extends Event {

    @Label("Method")
    String method;

    @Label("Failed")
    boolean failed;
}
