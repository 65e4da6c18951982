/**
 * The embedded storage engine: a durable {@link dev.skiff.storage.Backend} in a local data directory, built on
 * RocksDB.
 *
 * <p>Layout (one RocksDB column family each): {@code latest} maps a key to its current record, {@code hist} maps
 * {@code key NUL revision} to every retained version (for reads at past revisions and previous values),
 * {@code log} maps a revision to the key it wrote (the order watches replay), {@code ttl} indexes expiring keys by
 * deadline, and the default family holds the current and compacted revisions.
 *
 * <p>All writes go through one {@link dev.skiff.storage.embedded.GroupCommitWriter} thread: it checks
 * compare-and-swap conditions, assigns revisions and commits whatever has queued up as one synced write batch, so
 * concurrent writers share each disk sync. Committed events then land in an in-memory
 * {@link dev.skiff.storage.embedded.EventRing} that watchers read as cursors, falling back to the {@code log}
 * family when they lag behind it.
 */
package dev.skiff.storage.embedded;
