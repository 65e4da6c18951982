/**
 * The Kubernetes REST semantics on top of the transport: routing of resource and non-resource requests, the
 * generic verbs (get, list, watch, create, update, patch, delete, deletecollection) over
 * {@link dev.skiff.apiserver.registry.ObjectStore}, body decoding, object validation, and server-side tables.
 */
package dev.skiff.apiserver.handler;
