/**
 * The storage SPI: a revisioned key/value store with etcd semantics that knows nothing of Kubernetes.
 *
 * <p>{@link dev.skiff.storage.Backend} is the one interface the API server writes through. It deals in string
 * keys, opaque byte values and one global, monotonically increasing revision (the API server's
 * {@code resourceVersion}). Results, watch events and watch endings are closed sets, modelled as sealed types so
 * that callers handle every case. Engines live in sub-packages (or other modules) and must pass the shared
 * contract suite.
 */
package dev.skiff.storage;
