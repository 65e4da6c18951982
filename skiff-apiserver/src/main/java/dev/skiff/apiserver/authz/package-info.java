/**
 * Authorization: RBAC as kube-apiserver evaluates it. {@link dev.skiff.apiserver.authz.RbacIndex} keeps the
 * cluster's Roles, ClusterRoles and their bindings in memory (fed by a watch), {@link
 * dev.skiff.apiserver.authz.RbacAuthorizer} answers "may this user do this", and {@link
 * dev.skiff.apiserver.authz.BootstrapPolicy} is the default policy every cluster starts with.
 */
package dev.skiff.apiserver.authz;
