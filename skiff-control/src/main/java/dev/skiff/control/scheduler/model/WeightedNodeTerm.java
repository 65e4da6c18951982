package dev.skiff.control.scheduler.model;

/** A preferred node affinity term ({@code PreferredSchedulingTerm}) with its weight (1-100). */
public record WeightedNodeTerm(int weight, NodeTerm term) {
}
