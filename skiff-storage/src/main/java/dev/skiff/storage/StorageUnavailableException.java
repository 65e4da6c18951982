package dev.skiff.storage;

/**
 * The engine failed (I/O error, closed store, unreachable etcd). A write that fails this way may or may not have
 * been applied, exactly as with etcd; callers re-read before retrying.
 */
public final class StorageUnavailableException extends StorageException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
