package dev.skiff.apiserver.apply;

/**
 * An object that does not fit its {@link Shape}: an associative list item without its key, a duplicate key in an
 * applied configuration. Upstream's type converter refuses such objects the same way.
 */
public final class StructureException extends RuntimeException {

    StructureException(String message) {
        super(message, null, false, false);
    }
}
