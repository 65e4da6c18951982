/**
 * What the API serves: {@link dev.skiff.apiserver.resource.ResourceType} describes one resource of one group
 * version (kind, plural, scope, short names, verbs, subresources), and
 * {@link dev.skiff.apiserver.resource.BuiltinResources} lists the built-in ones of the Kubernetes v1.32 surface that
 * Skiff serves. Discovery, routing and storage keys are all derived from these values.
 */
package dev.skiff.apiserver.resource;
