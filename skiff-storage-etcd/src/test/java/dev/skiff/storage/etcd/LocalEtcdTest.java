package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.KeyRange;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping the local etcd process. Each test owns its process and stops it even when failing. */
class LocalEtcdTest {

    @TempDir
    Path work;

    @Test
    void aTemporaryEtcdAnswersLogsToItsDirectoryAndLeavesNothingBehind() {
        LocalEtcd etcd = LocalEtcd.startTemporary(work);
        long pid;
        Path dir;
        try {
            pid = etcd.pid();
            dir = etcd.dataDir();
            assertThat(dir).startsWith(work);
            assertThat(etcd.isRunning()).isTrue();
            try (EtcdBackend store = EtcdBackend.connect(etcd.endpoints(), "/t")) {
                assertThat(store.currentRevision()).isPositive();
            }
            assertThat(dir.resolve("etcd.log")).isNotEmptyFile();
        } finally {
            etcd.close();
        }
        etcd.close(); // idempotent

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aGivenDataDirectoryIsKeptAndServesTheDataAgainAfterARestart() {
        Path dir = work.resolve("data");
        try (LocalEtcd etcd = LocalEtcd.start(dir); EtcdBackend store = EtcdBackend.connect(etcd.endpoints(), "/r")) {
            store.create("/kept", "v".getBytes(UTF_8));
        }
        assertThat(dir).isDirectory();

        try (LocalEtcd etcd = LocalEtcd.start(dir); EtcdBackend store = EtcdBackend.connect(etcd.endpoints(), "/r")) {
            assertThat(store.list(KeyRange.prefix("/")).items()).hasSize(1);
        }
        assertThat(Files.exists(dir)).isTrue();
    }

    @Test
    void aMissingBinaryIsExplained() {
        assertThatThrownBy(() -> LocalEtcd.findBinary(work.toString(), work.resolve("no-etcd")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("etcd not found: install it with `apt-get install -y etcd-server`");
    }

    @Test
    void theBinaryIsTakenFromThePathFirst() throws Exception {
        Path fake = Files.createFile(work.resolve("etcd"));
        assertThat(fake.toFile().setExecutable(true)).isTrue();

        assertThat(LocalEtcd.findBinary("/nonexistent-dir:" + work, work.resolve("other"))).isEqualTo(fake);
    }

    @Test
    void limitsLeaveRoomForTheLargestValue() {
        assertThat(LocalEtcd.MAX_REQUEST_BYTES).isGreaterThan(dev.skiff.storage.Keys.MAX_VALUE_BYTES + 64 * 1024);
    }
}
