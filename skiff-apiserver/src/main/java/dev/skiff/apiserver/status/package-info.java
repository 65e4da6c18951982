/**
 * Kubernetes {@code Status} errors: the {@link dev.skiff.apiserver.status.Status} value with upstream's reasons,
 * codes and field causes, and {@link dev.skiff.apiserver.status.ApiException} with factory methods whose messages
 * read exactly like kube-apiserver's, so clients that match on reason or message behave the same.
 */
package dev.skiff.apiserver.status;
