/**
 * Per-namespace defaults every namespace gets from kube-controller-manager: the {@code default} ServiceAccount
 * (upstream's serviceaccounts-controller) and the {@code kube-root-ca.crt} ConfigMap carrying the cluster CA
 * (upstream's root-ca-cert-publisher), both recreated when deleted. No legacy token Secrets: upstream stopped
 * creating them in 1.24; pods get projected tokens from the TokenRequest API instead.
 */
package dev.skiff.control.controller.serviceaccount;
