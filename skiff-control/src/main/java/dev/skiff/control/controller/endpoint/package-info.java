/**
 * The Endpoints and EndpointSlice controllers, as upstream's {@code pkg/controller/endpoint} and
 * {@code pkg/controller/endpointslice}: for every Service with a selector they publish the addresses of the
 * matching pods (ready and not ready, with target references, node names and resolved ports).
 *
 * <p>The computations are pure and table-tested: {@link dev.skiff.control.controller.endpoint.PodEndpoints}
 * (which pods count, port resolution), {@link dev.skiff.control.controller.endpoint.EndpointSubsets} (the
 * Endpoints object's subsets), {@link dev.skiff.control.controller.endpoint.SliceEndpoints} and
 * {@link dev.skiff.control.controller.endpoint.SlicePlanner} (the slices' content and how it is spread over
 * slices of at most 100 endpoints). The controllers read informer caches and write through the client.
 */
package dev.skiff.control.controller.endpoint;
