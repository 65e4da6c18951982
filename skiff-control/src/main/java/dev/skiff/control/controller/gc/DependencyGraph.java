package dev.skiff.control.controller.gc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every watched object by uid, and the uids of the objects that name each uid as an owner (upstream's
 * {@code uidToNode} with each node's {@code dependents}). Owners need not be present: a dependent may name an owner
 * that is gone or not watched, which is how dangling references are found.
 *
 * <p>Thread-safe (one lock; every operation is a few map updates). Never blocks on I/O.
 */
public final class DependencyGraph {

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();

    /** Records the object's latest state; returns the previous one, or null if it is new. */
    public synchronized Node put(Node node) {
        Node previous = nodes.put(node.uid(), node);
        if (previous != null) {
            unlink(previous);
        }
        for (OwnerRef ref : node.owners()) {
            dependents.computeIfAbsent(ref.uid(), k -> new HashSet<>()).add(node.uid());
        }
        return previous;
    }

    /** Forgets the object; returns what was known of it, or null. */
    public synchronized Node remove(String uid) {
        Node previous = nodes.remove(uid);
        if (previous != null) {
            unlink(previous);
        }
        return previous;
    }

    private void unlink(Node node) {
        for (OwnerRef ref : node.owners()) {
            Set<String> set = dependents.get(ref.uid());
            if (set != null) {
                set.remove(node.uid());
                if (set.isEmpty()) {
                    dependents.remove(ref.uid());
                }
            }
        }
    }

    public synchronized Node get(String uid) {
        return nodes.get(uid);
    }

    /** The objects that name {@code ownerUid} as an owner, valid or not (see {@link GcRules#isValidDependent}). */
    public synchronized List<Node> dependents(String ownerUid) {
        Set<String> uids = dependents.get(ownerUid);
        if (uids == null) {
            return List.of();
        }
        List<Node> result = new ArrayList<>(uids.size());
        for (String uid : uids) {
            Node node = nodes.get(uid);
            if (node != null) {
                result.add(node);
            }
        }
        return result;
    }

    public synchronized int size() {
        return nodes.size();
    }
}
