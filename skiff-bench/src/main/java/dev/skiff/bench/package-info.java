/**
 * The benchmarks behind {@code skiff bench}.
 *
 * <p>{@link dev.skiff.bench.StorageBenchmark} measures the storage engines under a Kubernetes-shaped load (creates of
 * 1 KiB objects by many concurrent writers, a list of 100,000 keys, watch fan-out) and, as the peer to beat, raw etcd
 * driven through jetcd with the same transactions kube-apiserver issues. Figures are printed as a table plus one
 * machine-readable {@code RESULT} line.
 */
package dev.skiff.bench;
