/**
 * Services as kube-apiserver serves them: cluster IPs from the service CIDR and node ports from the node port range,
 * allocated on create and update, released when a service goes, and durable as one storage key per reserved value
 * (decision 012); the IP family fields; the type and port rules; and the {@code kubernetes} service of every cluster.
 */
package dev.skiff.apiserver.service;
