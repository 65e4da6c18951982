/**
 * Understanding an HTTP request as a Kubernetes API request: {@link dev.skiff.apiserver.request.RequestInfo} is
 * what the path and method say (verb, group, version, namespace, resource, name, subresource), parsed the way
 * kube-apiserver's RequestInfoFactory does, so authorization and routing see what upstream would.
 */
package dev.skiff.apiserver.request;
