package dev.skiff.storage.embedded;

import dev.skiff.storage.WriteResult;
import java.util.concurrent.CompletableFuture;

/** A write waiting for the group-commit writer, with the future its caller waits on. */
sealed interface WriteOp {

    String key();

    CompletableFuture<WriteResult> result();

    /** Create if absent. {@code expiresAtMillis} 0: no TTL. */
    record Create(String key, byte[] value, long expiresAtMillis, CompletableFuture<WriteResult> result)
            implements WriteOp {
    }

    /** Compare-and-swap replace. */
    record Update(String key, byte[] value, long expectedModRevision, long expiresAtMillis,
            CompletableFuture<WriteResult> result) implements WriteOp {
    }

    /** Delete, guarded by {@code expectedModRevision} unless it is 0. */
    record Delete(String key, long expectedModRevision, CompletableFuture<WriteResult> result) implements WriteOp {
    }
}
