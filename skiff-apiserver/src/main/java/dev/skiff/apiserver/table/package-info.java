/**
 * Server-side tables ({@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}): the columns kube-apiserver
 * prints per kind, so {@code kubectl get} reads as on any cluster, and upstream's human-readable ages.
 */
package dev.skiff.apiserver.table;
