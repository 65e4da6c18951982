package dev.skiff.apiserver.apply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A set of field paths, as structured-merge-diff's {@code fieldpath.Set}: a tree whose nodes are path elements,
 * each either a member of the set (the path up to it is in the set) or only on the way to members. Sets are
 * immutable values; every operation returns a new set. {@link FieldsV1} encodes and decodes them.
 */
public final class FieldSet {

    /** The set with no paths. */
    public static final FieldSet EMPTY = new FieldSet(false, Collections.emptyNavigableMap());

    private final boolean member;
    private final Map<PathElement, FieldSet> children;

    private FieldSet(boolean member, Map<PathElement, FieldSet> children) {
        this.member = member;
        this.children = children;
    }

    /** A set of exactly these paths. */
    public static FieldSet of(List<List<PathElement>> paths) {
        Builder builder = new Builder();
        paths.forEach(builder::insert);
        return builder.build();
    }

    /** Whether the path leading to this subtree is itself a member (meaningless at the root). */
    boolean member() {
        return member;
    }

    /** The subtrees under each element, in order. */
    Map<PathElement, FieldSet> children() {
        return children;
    }

    /** The subtree under {@code element}, or {@link #EMPTY}. */
    public FieldSet child(PathElement element) {
        FieldSet child = children.get(element);
        return child == null ? EMPTY : child;
    }

    /** Whether {@code element} directly under this node is a member. */
    public boolean hasMember(PathElement element) {
        FieldSet child = children.get(element);
        return child != null && child.member;
    }

    public boolean isEmpty() {
        return children.isEmpty();
    }

    /** Whether {@code path} is a member. */
    public boolean contains(List<PathElement> path) {
        FieldSet node = this;
        for (PathElement element : path) {
            node = node.children.get(element);
            if (node == null) {
                return false;
            }
        }
        return !path.isEmpty() && node.member;
    }

    /** Paths in either set. */
    public FieldSet union(FieldSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other.asRoot();
        }
        return union(this, other, false);
    }

    private FieldSet asRoot() {
        return member ? new FieldSet(false, children) : this;
    }

    private static FieldSet union(FieldSet a, FieldSet b, boolean member) {
        TreeMap<PathElement, FieldSet> merged = new TreeMap<>(a.children);
        for (Map.Entry<PathElement, FieldSet> e : b.children.entrySet()) {
            FieldSet mine = merged.get(e.getKey());
            FieldSet theirs = e.getValue();
            merged.put(e.getKey(), mine == null ? theirs : union(mine, theirs, mine.member || theirs.member));
        }
        return new FieldSet(member, merged);
    }

    /** Paths of this set that are not members of {@code other} (path by path, as upstream's Difference). */
    public FieldSet difference(FieldSet other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        return difference(this, other, false);
    }

    private static FieldSet difference(FieldSet a, FieldSet b, boolean member) {
        TreeMap<PathElement, FieldSet> kept = new TreeMap<>();
        for (Map.Entry<PathElement, FieldSet> e : a.children.entrySet()) {
            FieldSet theirs = b.children.get(e.getKey());
            FieldSet mine = e.getValue();
            FieldSet result = theirs == null ? mine : difference(mine, theirs, mine.member && !theirs.member);
            if (result.member || !result.children.isEmpty()) {
                kept.put(e.getKey(), result);
            }
        }
        return new FieldSet(member, kept);
    }

    /** Paths in both sets. */
    public FieldSet intersection(FieldSet other) {
        if (other.isEmpty() || isEmpty()) {
            return EMPTY;
        }
        return intersection(this, other, false);
    }

    private static FieldSet intersection(FieldSet a, FieldSet b, boolean member) {
        TreeMap<PathElement, FieldSet> kept = new TreeMap<>();
        for (Map.Entry<PathElement, FieldSet> e : a.children.entrySet()) {
            FieldSet theirs = b.children.get(e.getKey());
            if (theirs == null) {
                continue;
            }
            FieldSet mine = e.getValue();
            FieldSet result = intersection(mine, theirs, mine.member && theirs.member);
            if (result.member || !result.children.isEmpty()) {
                kept.put(e.getKey(), result);
            }
        }
        return new FieldSet(member, kept);
    }

    /** This set without any path that is, or lies under, a member of {@code other}. */
    public FieldSet recursiveDifference(FieldSet other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        return recursiveDifference(this, other, false);
    }

    private static FieldSet recursiveDifference(FieldSet a, FieldSet b, boolean member) {
        TreeMap<PathElement, FieldSet> kept = new TreeMap<>();
        for (Map.Entry<PathElement, FieldSet> e : a.children.entrySet()) {
            FieldSet theirs = b.children.get(e.getKey());
            if (theirs == null) {
                kept.put(e.getKey(), e.getValue());
                continue;
            }
            if (theirs.member) {
                continue;
            }
            FieldSet result = recursiveDifference(e.getValue(), theirs, e.getValue().member);
            if (result.member || !result.children.isEmpty()) {
                kept.put(e.getKey(), result);
            }
        }
        return new FieldSet(member, kept);
    }

    /**
     * This set where every object field on the way to a member is a member too (upstream's
     * EnsureNamedFieldsAreMembers), so that removing a field the applier no longer sets removes the whole field,
     * not only its leaves.
     */
    public FieldSet withFieldsAsMembers() {
        return withFieldsAsMembers(this, false);
    }

    private static FieldSet withFieldsAsMembers(FieldSet node, boolean member) {
        TreeMap<PathElement, FieldSet> result = new TreeMap<>();
        for (Map.Entry<PathElement, FieldSet> e : node.children.entrySet()) {
            FieldSet child = e.getValue();
            boolean childMember = child.member
                    || (e.getKey() instanceof PathElement.Field && !child.children.isEmpty());
            result.put(e.getKey(), withFieldsAsMembers(child, childMember));
        }
        return new FieldSet(member, result);
    }

    /** Every member path, in order. */
    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        collect(this, new ArrayList<>(), out);
        return out;
    }

    private static void collect(FieldSet node, List<PathElement> prefix, List<List<PathElement>> out) {
        for (Map.Entry<PathElement, FieldSet> e : node.children.entrySet()) {
            prefix.add(e.getKey());
            if (e.getValue().member) {
                out.add(List.copyOf(prefix));
            }
            collect(e.getValue(), prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    /** Upstream's printing of a path: {@code .spec.containers[name="c"].image}. */
    public static String display(List<PathElement> path) {
        StringBuilder out = new StringBuilder();
        path.forEach(element -> out.append(element.display()));
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet other && member == other.member && children.equals(other.children);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(member) * 31 + children.hashCode();
    }

    @Override
    public String toString() {
        return paths().stream().map(FieldSet::display).collect(Collectors.joining(", ", "{", "}"));
    }

    /** Builds a set path by path; not thread-safe, used once. */
    public static final class Builder {

        private final Node root = new Node();

        /** Adds {@code path} (non-empty) as a member. */
        public Builder insert(List<PathElement> path) {
            Node node = root;
            for (PathElement element : path) {
                node = node.children.computeIfAbsent(element, k -> new Node());
            }
            if (node != root) {
                node.member = true;
            }
            return this;
        }

        /** Descends to {@code element} without making it a member; the returned node is under this builder. */
        Node node(Node parent, PathElement element) {
            return parent.children.computeIfAbsent(element, k -> new Node());
        }

        Node root() {
            return root;
        }

        public FieldSet build() {
            return freeze(root, false);
        }

        private static FieldSet freeze(Node node, boolean member) {
            TreeMap<PathElement, FieldSet> children = new TreeMap<>();
            for (Iterator<Map.Entry<PathElement, Node>> it = node.children.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<PathElement, Node> e = it.next();
                FieldSet child = freeze(e.getValue(), e.getValue().member);
                if (child.member || !child.children.isEmpty()) {
                    children.put(e.getKey(), child);
                }
            }
            return new FieldSet(member, children);
        }
    }

    /** A mutable node of a {@link Builder}. */
    static final class Node {
        boolean member;
        final TreeMap<PathElement, Node> children = new TreeMap<>();
    }
}
