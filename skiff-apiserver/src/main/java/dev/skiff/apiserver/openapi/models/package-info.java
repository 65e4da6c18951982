/**
 * The OpenAPI definitions of the built-in kinds, generated from the model classes of the official Kubernetes Java
 * client ({@code io.kubernetes:client-java-api}, generated from the Kubernetes OpenAPI specification of the
 * matching release): field names, types, descriptions and required fields, read from the class files without
 * loading them ({@link dev.skiff.apiserver.openapi.models.ClassFileReader}), and named as upstream names its
 * definitions ({@link dev.skiff.apiserver.openapi.models.BuiltinDefinitions}). The result is flavour-neutral;
 * {@code dev.skiff.apiserver.openapi} renders it as Swagger 2 or OpenAPI 3. See
 * {@code docs/decisions/010-openapi-schemas.md}.
 */
package dev.skiff.apiserver.openapi.models;
