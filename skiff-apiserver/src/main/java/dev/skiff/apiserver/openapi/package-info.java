/**
 * The OpenAPI documents kube-apiserver v1.32 serves, built from a
 * {@link dev.skiff.apiserver.resource.ResourceCatalog} snapshot: the {@code /openapi/v3} index, one OpenAPI 3.0
 * document per group version (what kubectl reads to decide that the server validates fields itself, and to find
 * kinds), and the Swagger 2.0 {@code /openapi/v2} document older clients read.
 *
 * <p>Paths and operations follow upstream's installer (operation ids, {@code x-kubernetes-action},
 * {@code x-kubernetes-group-version-kind}, query parameters such as {@code fieldValidation}, {@code dryRun} and
 * {@code fieldManager}). Built-in kinds publish full definitions generated from the Kubernetes Java client's models
 * ({@link dev.skiff.apiserver.openapi.models}, rendered per flavour by {@code DefinitionRenderer}); custom resources
 * their CRD's schema; minimal schemas are the fallback (see {@code Schemas}, and
 * {@link dev.skiff.apiserver.openapi.OpenApiDocuments} for what kubectl does with them).
 * {@link dev.skiff.apiserver.openapi.OpenApiDocuments} is the facade the HTTP layer calls; everything here is a pure
 * function of the types served.
 */
package dev.skiff.apiserver.openapi;
