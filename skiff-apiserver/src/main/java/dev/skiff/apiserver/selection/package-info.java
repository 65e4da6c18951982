/**
 * Label and field selectors with upstream's grammar and semantics (k8s.io/apimachinery labels and fields), and
 * the per-resource table of selectable fields ({@code spec.nodeName}, {@code status.phase}, ...).
 */
package dev.skiff.apiserver.selection;
