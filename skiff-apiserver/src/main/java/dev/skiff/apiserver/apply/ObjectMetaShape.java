package dev.skiff.apiserver.apply;

import java.util.List;

/**
 * The shape of {@code metadata} (ObjectMeta), shared by every kind: {@code finalizers} is a set,
 * {@code ownerReferences} a list keyed by {@code uid}, labels and annotations granular maps, everything else
 * atomic lists, as the v1.32 ObjectMeta list-type markers say.
 */
public final class ObjectMetaShape implements Shape {

    /** The metadata shape. */
    public static final Shape INSTANCE = new ObjectMetaShape(0);

    private static final ListKind OWNER_REFERENCES = new ListKind.Map(List.of("uid"));

    /** 0: metadata itself; 1: one of its fields. */
    private final int depth;
    private final String name;

    private ObjectMetaShape(int depth) {
        this(depth, "");
    }

    private ObjectMetaShape(int depth, String name) {
        this.depth = depth;
        this.name = name;
    }

    @Override
    public Shape field(String field) {
        return depth == 0 ? new ObjectMetaShape(1, field) : Shape.DEFAULT;
    }

    @Override
    public Shape items() {
        return Shape.DEFAULT;
    }

    @Override
    public ListKind list() {
        if (depth != 1) {
            return ListKind.ATOMIC;
        }
        return switch (name) {
            case "finalizers" -> ListKind.SET;
            case "ownerReferences" -> OWNER_REFERENCES;
            default -> ListKind.ATOMIC;
        };
    }

    @Override
    public boolean atomicObject() {
        return false;
    }
}
