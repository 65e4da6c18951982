package dev.skiff.apiserver.admission;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pod selectors in force, read by pod admission on every pod create. The composition root feeds them from the
 * ECI Profile and replaces them whole when the profile changes; a create sees either the old list or the new one,
 * never a mix.
 *
 * <p>Implementations must be thread-safe and must not block: {@link #current()} runs on the request path.
 */
public interface PodSelectors {

    /** No selectors: pods are admitted unchanged (a server without an ECI Profile). */
    PodSelectors NONE = List::of;

    /** The selectors in force, in the profile's order. */
    List<PodSelector> current();

    /** A holder the owner of the profile replaces as it changes. */
    static Live live() {
        return new Live();
    }

    /** Selectors swapped atomically by their owner. Thread-safe, non-blocking. */
    final class Live implements PodSelectors {

        private final AtomicReference<List<PodSelector>> selectors = new AtomicReference<>(List.of());

        private Live() {
        }

        @Override
        public List<PodSelector> current() {
            return selectors.get();
        }

        /** Puts {@code next} in force for every create that starts from now on. */
        public void replace(List<PodSelector> next) {
            selectors.set(List.copyOf(Objects.requireNonNull(next, "next")));
        }
    }
}
