package dev.skiff.node.cri;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle the cri runtime's own test classes share: one supervised containerd per test class (starting one
 * costs seconds), a fresh {@link CriRuntime} per test, and that runtime discarded with every sandbox it made, even
 * when the test failed. Test classes run one after another, so the static host is never shared by two classes.
 */
abstract class OnCriHost {

    /** An upper bound for real sandboxes on a shared 2-core machine, never an expected duration. */
    static final Duration PATIENCE = Duration.ofSeconds(180);

    static CriTestHost host;
    CriRuntime runtime;

    @BeforeAll
    static void startHost() {
        host = CriTestHost.start();
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
            host = null;
        }
    }

    @BeforeEach
    void openRuntime() {
        runtime = host.newRuntime();
    }

    @AfterEach
    void closeRuntime() throws Exception {
        CriTestHost.discard(runtime, PATIENCE);
    }
}
