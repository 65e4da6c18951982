/**
 * Server-side apply and {@code metadata.managedFields}, as kube-apiserver's field manager and
 * structured-merge-diff implement them:
 * <ul>
 *   <li>{@link dev.skiff.apiserver.apply.FieldSet} is a set of field paths ({@link dev.skiff.apiserver.apply.PathElement}
 *       steps) with the {@code FieldsV1} codec ({@link dev.skiff.apiserver.apply.FieldsV1});</li>
 *   <li>{@link dev.skiff.apiserver.apply.Shape} says how a type's lists and maps merge (atomic, set, or associative
 *       by keys); built-in kinds and custom resources each provide one;</li>
 *   <li>{@link dev.skiff.apiserver.apply.FieldSets}, {@link dev.skiff.apiserver.apply.Comparison},
 *       {@link dev.skiff.apiserver.apply.Merger} and {@link dev.skiff.apiserver.apply.Remover} are the structured
 *       walks: the fields an object sets, what changed between two objects, an applied configuration merged into
 *       the live object, and fields removed;</li>
 *   <li>{@link dev.skiff.apiserver.apply.ManagedFields} holds the entries of one object;
 *       {@link dev.skiff.apiserver.apply.FieldManager} records updates and performs applies, with
 *       {@link dev.skiff.apiserver.apply.Conflicts} for the 409s.</li>
 * </ul>
 * Everything here works on Jackson trees and knows nothing of HTTP or storage.
 */
package dev.skiff.apiserver.apply;
