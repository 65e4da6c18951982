package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Quantities in the scheduler's integer units: CPU in millicores, everything else in whole units (bytes, devices),
 * both rounded up as {@code resource.Quantity.MilliValue()/Value()} do upstream.
 */
public final class Quantities {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private Quantities() {
    }

    /** The quantity in the unit the scheduler uses for {@code resource}; 0 when it cannot be parsed. */
    public static long of(String resource, Quantity quantity) {
        return "cpu".equals(resource) ? milli(quantity) : value(quantity);
    }

    public static long milli(Quantity quantity) {
        BigDecimal amount = amount(quantity);
        return amount == null ? 0 : saturate(amount.multiply(THOUSAND));
    }

    public static long value(Quantity quantity) {
        BigDecimal amount = amount(quantity);
        return amount == null ? 0 : saturate(amount);
    }

    private static BigDecimal amount(Quantity quantity) {
        if (quantity == null || quantity.getAmount() == null || quantity.getAmount().isEmpty()) {
            return null;
        }
        try {
            return Quantity.getAmountInBytes(quantity);
        } catch (RuntimeException e) {
            // Invalid quantities are rejected by the API server's validation; treat a stray one as zero.
            return null;
        }
    }

    private static long saturate(BigDecimal amount) {
        BigDecimal rounded = amount.setScale(0, RoundingMode.CEILING);
        if (rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, rounded.longValue());
    }
}
