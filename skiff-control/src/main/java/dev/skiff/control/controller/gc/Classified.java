package dev.skiff.control.controller.gc;

/** One owner reference of an object and what it resolved to. */
public record Classified(OwnerRef ref, OwnerState state) {
}
