package dev.skiff.apiserver.apply;

/**
 * What server-side apply needs to know of a type at one place in an object: how the list there merges and
 * whether the object there is atomic, and the shapes below it. A structural stand-in for the OpenAPI models
 * upstream's type converter reads. Implementations are immutable and thread-safe; lookups are cheap and never
 * block.
 */
public interface Shape {

    /** The shape of field (or map key) {@code name} of the object here. */
    Shape field(String name);

    /** The shape of the items of the list here. */
    Shape items();

    /** How the list here merges; {@link ListKind#ATOMIC} when unknown. */
    ListKind list();

    /** Whether the object here is replaced and owned whole ({@code x-kubernetes-map-type: atomic}). */
    boolean atomicObject();

    /** Granular objects, atomic lists everywhere: what structured-merge-diff assumes of an unknown schema. */
    Shape DEFAULT = new Shape() {
        @Override
        public Shape field(String name) {
            return this;
        }

        @Override
        public Shape items() {
            return this;
        }

        @Override
        public ListKind list() {
            return ListKind.ATOMIC;
        }

        @Override
        public boolean atomicObject() {
            return false;
        }
    };
}
