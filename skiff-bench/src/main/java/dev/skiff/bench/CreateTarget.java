package dev.skiff.bench;

import dev.skiff.storage.Backend;

/** Something that creates keys: an engine through the SPI, or raw etcd. */
@FunctionalInterface
interface CreateTarget {

    /** Creates {@code key}; true if it was created, false if it existed. Blocking. */
    boolean create(String key, byte[] value) throws Exception;

    static CreateTarget of(Backend backend) {
        return (key, value) -> backend.create(key, value).committed();
    }
}
