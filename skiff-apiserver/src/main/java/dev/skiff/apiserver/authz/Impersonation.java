package dev.skiff.apiserver.authz;

import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * User impersonation ({@code kubectl --as}, {@code --as-group}), as kube-apiserver's impersonation filter: the
 * {@code Impersonate-User}, {@code Impersonate-Uid}, {@code Impersonate-Group} and {@code Impersonate-Extra-*}
 * headers replace the requester's identity, provided RBAC lets the requester {@code impersonate} each of them
 * (users, groups, serviceaccounts, uids, userextras/KEY). Thread-safe.
 */
public final class Impersonation {

    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private final RbacAuthorizer authorizer;

    public Impersonation(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * The identity the request acts as: {@code requester} when no impersonation header is present, else the
     * impersonated user (403 if not allowed).
     *
     * @param header reads a request header's values (all of them) by name, lower case; {@code headerNames} lists
     *               the request's header names, lower case
     */
    public UserInfo effectiveUser(UserInfo requester, Function<String, List<String>> header,
            List<String> headerNames) {
        List<String> users = header.apply("impersonate-user");
        List<String> groups = header.apply("impersonate-group");
        List<String> uids = header.apply("impersonate-uid");
        Map<String, List<String>> extra = new HashMap<>();
        for (String name : headerNames) {
            if (name.startsWith("impersonate-extra-")) {
                extra.put(name.substring("impersonate-extra-".length()), header.apply(name));
            }
        }
        if (users.isEmpty()) {
            if (!groups.isEmpty() || !uids.isEmpty() || !extra.isEmpty()) {
                throw ApiException.badRequest("requested impersonation without a user: Impersonate-User is "
                        + "required with Impersonate-Group, Impersonate-Uid or Impersonate-Extra");
            }
            return requester;
        }
        String user = users.getFirst();
        if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
            if (parts.length != 2) {
                throw ApiException.badRequest("invalid service account user to impersonate: " + user);
            }
            check(requester, "", "serviceaccounts", parts[0], parts[1], user);
        } else {
            check(requester, "", "users", "", user, user);
        }
        for (String group : groups) {
            check(requester, "", "groups", "", group, group);
        }
        for (String uid : uids) {
            check(requester, "authentication.k8s.io", "uids", "", uid, uid);
        }
        for (Map.Entry<String, List<String>> entry : extra.entrySet()) {
            for (String value : entry.getValue()) {
                check(requester, "authentication.k8s.io", "userextras/" + entry.getKey(), "", value, value);
            }
        }
        List<String> effectiveGroups = new ArrayList<>(groups);
        if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            String namespace = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2)[0];
            effectiveGroups.add("system:serviceaccounts");
            effectiveGroups.add("system:serviceaccounts:" + namespace);
        }
        if (!user.equals("system:anonymous") && !effectiveGroups.contains(UserInfo.AUTHENTICATED)) {
            effectiveGroups.add(UserInfo.AUTHENTICATED);
        }
        return new UserInfo(user, uids.isEmpty() ? "" : uids.getFirst(), effectiveGroups, extra);
    }

    private void check(UserInfo requester, String group, String resource, String namespace, String name,
            String who) {
        String subresource = "";
        String plural = resource;
        int slash = resource.indexOf('/');
        if (slash > 0) {
            plural = resource.substring(0, slash);
            subresource = resource.substring(slash + 1);
        }
        Attributes attributes = new Attributes(requester, "impersonate", true, group, plural, subresource, namespace,
                name, "");
        RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
        if (!decision.allowed()) {
            throw new ApiException(new Status("Failure", plural + " \"" + who + "\" is forbidden: "
                    + decision.reason(), "Forbidden",
                    new Status.Details(who, group, plural, null, null, null), 403));
        }
    }
}
