/**
 * Secrets as kube-apiserver serves them: the write-only {@code stringData} folded into {@code data} when a Secret is
 * decoded, and the Secret's validation (config keys, size limit, immutable type and {@code immutable} data).
 */
package dev.skiff.apiserver.secret;
