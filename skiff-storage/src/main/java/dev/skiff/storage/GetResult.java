package dev.skiff.storage;

import java.util.Optional;

/**
 * The answer to a point read.
 *
 * @param revision the store revision the read was served at (the current one for a latest read)
 * @param kv       the key's value at that revision, or null when the key did not exist then
 */
public record GetResult(long revision, KeyValue kv) {

    public Optional<KeyValue> value() {
        return Optional.ofNullable(kv);
    }

    public boolean found() {
        return kv != null;
    }
}
