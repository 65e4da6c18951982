package dev.skiff.apiserver.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An authenticated user, as upstream's {@code user.Info}: name, groups (always including
 * {@code system:authenticated}) and extra attributes (e.g. the pod a ServiceAccount token was bound to).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String MASTERS = "system:masters";

    public UserInfo {
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
