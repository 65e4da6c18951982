package dev.skiff.server;

import dev.skiff.storage.Backend;
import dev.skiff.storage.embedded.EmbeddedBackend;
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

    static StorageChoice parse(String value) {
        if (value == null || value.equals("embedded")) {
            return new Embedded();
        }
        throw new IllegalArgumentException("--storage must be 'embedded' or etcd://HOST:PORT[,HOST:PORT...], was '"
                + value + "'");
    }
}
