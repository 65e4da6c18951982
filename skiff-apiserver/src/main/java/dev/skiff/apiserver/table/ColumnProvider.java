package dev.skiff.apiserver.table;

import dev.skiff.apiserver.resource.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * Columns defined outside the built-in printers, per served type: a custom resource's
 * {@code additionalPrinterColumns}. Consulted before {@link TableColumns}; thread-safe.
 */
@FunctionalInterface
public interface ColumnProvider {

    /** No type has columns of its own. */
    ColumnProvider NONE = type -> Optional.empty();

    /** The columns of {@code type}, or empty to use the built-in ones. */
    Optional<List<Column>> columns(ResourceType type);
}
