/**
 * Who is asking: {@link dev.skiff.apiserver.auth.UserInfo} (user, groups, extra) as established by an
 * {@link dev.skiff.apiserver.auth.Authenticator} from a client certificate or a bearer token.
 */
package dev.skiff.apiserver.auth;
