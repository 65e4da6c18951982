/**
 * CustomResourceDefinitions served dynamically, as apiextensions-apiserver does inside kube-apiserver:
 * <ul>
 *   <li>{@link dev.skiff.apiserver.crd.CrdController} lists and watches CRDs, accepts their names, serves their
 *       versions (catalog, watch caches, discovery and OpenAPI) and writes their status (NamesAccepted, Established,
 *       acceptedNames, storedVersions); on deletion it removes the instances, then the CRD;</li>
 *   <li>{@link dev.skiff.apiserver.crd.CrdStrategy} validates and defaults CRDs on create and update
 *       ({@link dev.skiff.apiserver.crd.CrdValidation});</li>
 *   <li>{@link dev.skiff.apiserver.crd.CustomResourceStrategy} gives the generic handler what one served version of
 *       a custom resource needs: pruning, defaulting, {@code fieldValidation}, schema validation, generation,
 *       accepted patch types and the {@link dev.skiff.apiserver.crd.ScaleSubresource scale subresource};</li>
 *   <li>{@link dev.skiff.apiserver.crd.CustomResources} is the registry the rest of the server consults: strategies
 *       per type, the read hook (version, pruning and defaults on the way out of storage) and printer columns.</li>
 * </ul>
 * The structural-schema algorithms live in {@link dev.skiff.apiserver.crd.schema}.
 */
package dev.skiff.apiserver.crd;
