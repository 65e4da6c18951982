/**
 * The etcd engine of the storage SPI, for clusters that outgrow one machine.
 *
 * <p>{@link dev.skiff.storage.etcd.EtcdBackend} maps {@link dev.skiff.storage.Backend} onto etcd's v3 API through
 * jetcd: revisions are etcd's own, creates and compare-and-swap writes are single-key transactions, TTLs are shared
 * leases, watches are etcd watches. Every key lives under a key prefix (kube-apiserver's {@code --etcd-prefix}), so
 * several stores can share one etcd. {@link dev.skiff.storage.etcd.LocalEtcd} runs a throwaway single-member etcd
 * process on the loopback interface, for tests and for the storage benchmark.
 */
package dev.skiff.storage.etcd;
