package dev.skiff.storage.etcd;

import dev.skiff.storage.StorageUnavailableException;
import io.etcd.jetcd.common.exception.EtcdException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Recognises the etcd failures the SPI gives a meaning to.
 *
 * <p>etcd reports them as gRPC statuses whose descriptions are part of its API (clients such as etcdctl and
 * kube-apiserver match them the same way), and jetcd passes them on as {@link EtcdException} messages.
 */
final class EtcdErrors {

    static final String COMPACTED = "required revision has been compacted";
    static final String FUTURE_REVISION = "required revision is a future revision";
    static final String LEASE_NOT_FOUND = "requested lease not found";
    static final String TOO_LARGE = "request is too large";

    private EtcdErrors() {
    }

    /** The failure itself, without the future/executor wrappers around it. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static boolean isCompacted(Throwable t) {
        return t instanceof io.etcd.jetcd.common.exception.CompactedException || messageHas(t, COMPACTED);
    }

    static boolean isFutureRevision(Throwable t) {
        return messageHas(t, FUTURE_REVISION);
    }

    static boolean isLeaseNotFound(Throwable t) {
        return messageHas(t, LEASE_NOT_FOUND);
    }

    /** Everything else: etcd could not serve the request (unreachable, no leader, timed out, closed client...). */
    static StorageUnavailableException unavailable(String operation, Throwable t) {
        if (messageHas(t, TOO_LARGE)) {
            return new StorageUnavailableException(operation + ": etcd rejected the request as too large; start etcd"
                    + " with --max-request-bytes above the largest value (" + t.getMessage() + ")", t);
        }
        return new StorageUnavailableException(operation + " failed: " + describe(t), t);
    }

    private static String describe(Throwable t) {
        if (t instanceof EtcdException e) {
            return e.getErrorCode() + " " + e.getMessage();
        }
        return String.valueOf(t);
    }

    private static boolean messageHas(Throwable t, String text) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains(text)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
