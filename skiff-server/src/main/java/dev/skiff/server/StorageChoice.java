package dev.skiff.server;

import dev.skiff.storage.Backend;
import dev.skiff.storage.embedded.EmbeddedBackend;
import dev.skiff.storage.etcd.EtcdBackend;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;

/**
 * Which storage engine a cluster runs on, from {@code --storage}: {@code embedded} (default: RocksDB in the data
 * directory) or {@code etcd://HOST:PORT[,HOST:PORT...]}.
 */
sealed interface StorageChoice {

    Backend open(Path dataDir);

    /** The embedded engine in {@code <data-dir>/storage}. */
    record Embedded() implements StorageChoice {
        @Override
        public Backend open(Path dataDir) {
            return EmbeddedBackend.open(dataDir.resolve("storage"));
        }
    }

    /** An etcd cluster; Skiff's keys live under {@code /skiff} so the etcd can be shared. */
    record Etcd(List<URI> endpoints) implements StorageChoice {
        @Override
        public Backend open(Path dataDir) {
            return EtcdBackend.connect(endpoints, "/skiff");
        }
    }

    static StorageChoice parse(String value) {
        if (value == null || value.equals("embedded")) {
            return new Embedded();
        }
        if (value.startsWith("etcd://")) {
            List<URI> endpoints = new ArrayList<>();
            for (String hostPort : value.substring("etcd://".length()).split(",")) {
                if (hostPort.isBlank() || !hostPort.matches("[^:/]+:\\d+|\\[[0-9a-fA-F:]+\\]:\\d+")) {
                    throw new IllegalArgumentException("--storage etcd:// needs HOST:PORT[,HOST:PORT...], got '"
                            + hostPort + "'");
                }
                endpoints.add(URI.create("http://" + hostPort));
            }
            return new Etcd(List.copyOf(endpoints));
        }
        throw new IllegalArgumentException("--storage must be 'embedded' or etcd://HOST:PORT[,HOST:PORT...], was '"
                + value + "'");
    }
}
