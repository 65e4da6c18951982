/**
 * Who is asking: {@link dev.skiff.apiserver.auth.UserInfo} (user, groups, extra) as established by an
 * {@link dev.skiff.apiserver.auth.Authenticator} from a client certificate or a bearer token, and ServiceAccount
 * tokens: {@link dev.skiff.apiserver.auth.ServiceAccountTokens} issues and verifies the signed JWTs kube-apiserver
 * hands to pods and to TokenRequest callers.
 */
package dev.skiff.apiserver.auth;
