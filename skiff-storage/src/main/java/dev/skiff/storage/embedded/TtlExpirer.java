package dev.skiff.storage.embedded;

import dev.skiff.storage.WriteResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes keys whose TTL has passed, through the ordinary write path so each expiry is a delete event with its own
 * revision (as with an expired etcd lease). The delete is guarded by the modRevision the TTL was set with, so a key
 * rewritten since keeps its new value and deadline.
 */
final class TtlExpirer {

    private static final Logger LOG = LoggerFactory.getLogger(TtlExpirer.class);
    private static final int MAX_PER_PASS = 10_000;

    private final RocksStore store;
    private final GroupCommitWriter writer;
    private final Clock clock;

    TtlExpirer(RocksStore store, GroupCommitWriter writer, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
    }

    /** Deletes every key due by now; returns how many were deleted. */
    int expireDue() {
        long now = clock.millis();
        List<WriteOp> deletes = new ArrayList<>();
        try (ReadOptions read = new ReadOptions(); RocksIterator it = store.iterator(store.ttl, read)) {
            for (it.seekToFirst(); it.isValid() && deletes.size() < MAX_PER_PASS; it.next()) {
                byte[] ttlKey = it.key();
                if (StoreKeys.ttlDeadline(ttlKey) > now) {
                    break;
                }
                deletes.add(new WriteOp.Delete(StoreKeys.ttlUserKey(ttlKey), StoreKeys.longOf(it.value()),
                        new CompletableFuture<>()));
            }
        }
        deletes.forEach(writer::enqueue);
        int expired = 0;
        for (WriteOp op : deletes) {
            if (op.result().join() instanceof WriteResult.Committed) {
                expired++;
            }
        }
        if (expired > 0) {
            LOG.debug("expired {} keys", expired);
        }
        return expired;
    }
}
