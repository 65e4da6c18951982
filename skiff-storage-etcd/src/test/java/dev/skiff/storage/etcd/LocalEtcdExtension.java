package dev.skiff.storage.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one {@link LocalEtcd} for a test class and hands each test its own {@link EtcdBackend}s under fresh key
 * prefixes, so tests share the process but never see each other's keys.
 *
 * <p>Register it as a static field with {@code @RegisterExtension}. etcd is stopped after the class whatever the
 * outcome (JUnit runs after-all callbacks even when tests or other callbacks failed), and backends opened by a test
 * are closed after it.
 */
final class LocalEtcdExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private LocalEtcd etcd;
    private final List<EtcdBackend> opened = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        etcd = LocalEtcd.startTemporary();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<EtcdBackend> toClose;
        synchronized (opened) {
            toClose = List.copyOf(opened);
            opened.clear();
        }
        toClose.forEach(EtcdBackend::close);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (etcd != null) {
            etcd.close();
            etcd = null;
        }
    }

    LocalEtcd etcd() {
        if (etcd == null) {
            throw new IllegalStateException("etcd is not running: register the extension as a static field");
        }
        return etcd;
    }

    /** A prefix no other test uses. */
    static String freshPrefix() {
        return "/skiff-test-" + UUID.randomUUID() + "/";
    }

    /** A backend under a fresh prefix, closed after the test. */
    EtcdBackend newBackend() {
        return newBackend(freshPrefix());
    }

    /** A backend under {@code prefix}, closed after the test. */
    EtcdBackend newBackend(String prefix) {
        return newBackend(prefix, EtcdBackend.Options.DEFAULTS);
    }

    EtcdBackend newBackend(String prefix, EtcdBackend.Options options) {
        EtcdBackend backend = EtcdBackend.connect(etcd().endpoints(), prefix, options);
        synchronized (opened) {
            opened.add(backend);
        }
        return backend;
    }
}
