package dev.skiff.storage;

/**
 * A read or write the store could not serve. Closed set: callers that care switch over the permitted subclasses.
 * Bad arguments are not storage failures and raise {@link IllegalArgumentException} instead.
 */
public abstract sealed class StorageException extends RuntimeException
        permits CompactedException, FutureRevisionException, StorageUnavailableException {

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
