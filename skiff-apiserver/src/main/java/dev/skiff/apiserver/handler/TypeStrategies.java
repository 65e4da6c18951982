package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.resource.ResourceType;

/** Finds the {@link TypeStrategy} of a served type; thread-safe, called on every request. */
@FunctionalInterface
public interface TypeStrategies {

    /** Every type generic. */
    TypeStrategies NONE = type -> TypeStrategy.GENERIC;

    /** The strategy of {@code type}, {@link TypeStrategy#GENERIC} when it has none. */
    TypeStrategy forType(ResourceType type);
}
