/**
 * Structural schemas of custom resources, as apiextensions-apiserver defines them: the model
 * ({@link dev.skiff.apiserver.crd.schema.Schema}, parsed from a CRD's {@code openAPIV3Schema}), the check that a
 * schema is structural ({@link dev.skiff.apiserver.crd.schema.StructuralCheck}), and what the server does with a
 * custom resource on every write: pruning of unknown fields ({@link dev.skiff.apiserver.crd.schema.Pruner}),
 * defaulting ({@link dev.skiff.apiserver.crd.schema.Defaulter}) and validation
 * ({@link dev.skiff.apiserver.crd.schema.SchemaValidator}). Pure functions over Jackson trees; errors are
 * {@link dev.skiff.apiserver.crd.schema.FieldError}s worded as upstream's field errors.
 */
package dev.skiff.apiserver.crd.schema;
