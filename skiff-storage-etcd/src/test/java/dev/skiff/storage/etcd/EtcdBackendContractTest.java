package dev.skiff.storage.etcd;

import dev.skiff.storage.Backend;
import dev.skiff.storage.contract.BackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The etcd engine against the shared contract: one etcd for the class, a fresh key prefix per test. */
class EtcdBackendContractTest extends BackendContractTest {

    @RegisterExtension
    static final LocalEtcdExtension ETCD = new LocalEtcdExtension();

    @Override
    protected Backend newBackend() {
        return ETCD.newBackend();
    }
}
