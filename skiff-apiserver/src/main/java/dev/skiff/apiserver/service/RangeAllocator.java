package dev.skiff.apiserver.service;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * Hands out the values of a range (indices 0..size-1, each shown as text by {@code itemAt}) through
 * {@link Reservations}. Dynamic picks prefer the indices above the static band and fall back to it when the rest is
 * full, as upstream's allocators do since the static subrange features: a client asking for a low address or port
 * (kube-dns at .10) rarely finds it taken. Picks are random, so concurrent servers seldom collide; a collision just
 * tries another. Thread-safe; blocking.
 */
final class RangeAllocator {

    /** Random tries before listing the reservations to find the free values of a nearly full range. */
    private static final int RANDOM_PROBES = 24;

    private final Reservations reservations;
    private final int size;
    private final int staticBand;
    private final IntFunction<String> itemAt;
    private final RandomGenerator random;

    RangeAllocator(Reservations reservations, int size, int staticBand, IntFunction<String> itemAt,
            RandomGenerator random) {
        this.reservations = reservations;
        this.size = size;
        this.staticBand = Math.min(staticBand, size);
        this.itemAt = itemAt;
        this.random = random;
    }

    /** Reserves a specific value; false if it is taken. */
    boolean allocate(String item, Owner owner) {
        return reservations.reserve(item, owner);
    }

    /** Whether a specific value is free now (dry runs). */
    boolean isFree(String item) {
        return reservations.get(item).isEmpty();
    }

    /** Reserves some free value and returns it, or throws {@link RangeFullException}. */
    String allocateNext(Owner owner) {
        return next(owner, false);
    }

    /** A value that is free now, without reserving it (dry runs), or throws {@link RangeFullException}. */
    String peekNext() {
        return next(null, true);
    }

    void release(String item, Owner owner) {
        reservations.release(item, owner);
    }

    private String next(Owner owner, boolean peek) {
        int dynamic = size - staticBand;
        for (int probe = 0; probe < RANDOM_PROBES && dynamic > 0; probe++) {
            String item = itemAt.apply(staticBand + random.nextInt(dynamic));
            if (take(item, owner, peek)) {
                return item;
            }
        }
        // Mostly full: look at what is taken and try the gaps, the dynamic part first, each from a random start.
        Set<String> taken = new HashSet<>();
        reservations.list().forEach(reservation -> taken.add(reservation.item()));
        String found = scan(staticBand, size, taken, owner, peek);
        if (found == null) {
            found = scan(0, staticBand, taken, owner, peek);
        }
        if (found == null) {
            throw new RangeFullException();
        }
        return found;
    }

    private String scan(int from, int to, Set<String> taken, Owner owner, boolean peek) {
        int length = to - from;
        if (length <= 0) {
            return null;
        }
        int start = random.nextInt(length);
        for (int i = 0; i < length; i++) {
            String item = itemAt.apply(from + (start + i) % length);
            if (!taken.contains(item) && take(item, owner, peek)) {
                return item;
            }
        }
        return null;
    }

    private boolean take(String item, Owner owner, boolean peek) {
        return peek ? isFree(item) : reservations.reserve(item, owner);
    }

    /** Every value of the range is reserved. */
    static final class RangeFullException extends RuntimeException {
        RangeFullException() {
            super("range is full", null, false, false);
        }
    }
}
