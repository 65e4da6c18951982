/**
 * Kubernetes objects over the storage SPI. {@link dev.skiff.apiserver.registry.ObjectStore} is the generic store
 * every resource shares: it maps objects to storage keys, owns {@code resourceVersion} (the storage revision),
 * {@code uid}, {@code creationTimestamp}, optimistic concurrency, list continuation tokens and the translation of
 * storage watch events into Kubernetes watch events. Per-kind behaviour (defaulting, validation, status
 * handling) lives in strategies above it.
 */
package dev.skiff.apiserver.registry;
