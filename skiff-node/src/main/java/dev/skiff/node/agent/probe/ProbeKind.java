package dev.skiff.node.agent.probe;

/** The three probes of a container, named as the kubelet's events name them ("Liveness probe failed: ..."). */
public enum ProbeKind {
    LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

    private final String label;

    ProbeKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
