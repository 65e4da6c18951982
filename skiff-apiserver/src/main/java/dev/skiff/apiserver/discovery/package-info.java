/**
 * API discovery as kube-apiserver v1.32 serves it, built from a {@link dev.skiff.apiserver.resource.ResourceCatalog}
 * snapshot: the legacy documents ({@code APIVersions}, {@code APIGroupList}, {@code APIGroup},
 * {@code APIResourceList}), aggregated discovery ({@code apidiscovery.k8s.io} v2 and v2beta1
 * {@code APIGroupDiscoveryList}, which kubectl asks for first) with its Accept negotiation, and {@code /version}.
 *
 * <p>{@link dev.skiff.apiserver.discovery.DiscoveryDocuments} is the facade the HTTP layer calls;
 * {@link dev.skiff.apiserver.discovery.ApiResource} and {@link dev.skiff.apiserver.discovery.Subresource} hold the
 * per-resource facts (verbs, kinds, subresources, storage version hashes) that OpenAPI reuses. Everything here is a
 * pure function of the types served: no I/O, no HTTP.
 */
package dev.skiff.apiserver.discovery;
