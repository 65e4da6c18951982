package dev.skiff.storage.embedded;

import dev.skiff.storage.Backend;
import dev.skiff.storage.contract.BackendContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded engine against the shared contract. */
class EmbeddedBackendContractTest extends BackendContractTest {

    @TempDir
    Path dir;

    @Override
    protected Backend newBackend() {
        return EmbeddedBackend.open(dir.resolve("store"));
    }
}
