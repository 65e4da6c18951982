package dev.skiff.storage;

/** A read asked for a revision older than the compaction point (the API server's 410 Gone). */
public final class CompactedException extends StorageException {

    private final long requestedRevision;
    private final long compactRevision;

    public CompactedException(long requestedRevision, long compactRevision) {
        super("revision " + requestedRevision + " has been compacted; the oldest available is " + compactRevision,
                null);
        this.requestedRevision = requestedRevision;
        this.compactRevision = compactRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
