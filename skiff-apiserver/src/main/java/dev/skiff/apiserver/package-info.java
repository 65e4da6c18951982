/**
 * The Kubernetes API server: HTTPS transport, authentication, authorization, admission and the generic resource
 * handler over {@link dev.skiff.storage.Backend}. This is the only module that touches storage; every other
 * component reaches the cluster through this API.
 */
package dev.skiff.apiserver;
