/**
 * Kubernetes protobuf request bodies ({@code application/vnd.kubernetes.protobuf}), decoded into the JSON the same
 * objects have in Kubernetes' JSON encoding, so that the API server keeps dealing in JSON only. kubectl's typed
 * commands ({@code create configmap|secret|deployment|job|...}, {@code auth can-i}, {@code auth whoami},
 * {@code create token}) send protobuf and accept JSON responses; nothing here encodes.
 *
 * <p>{@link dev.skiff.apiserver.protobuf.KubernetesProtobuf} is the entry point. It reads the {@code k8s\0} envelope
 * ({@code runtime.Unknown}), picks the message type of the object's apiVersion and kind, and walks the wire data with
 * a small hand-written reader ({@code WireReader}). The schema is data: the {@code *.schema} resources beside these
 * classes list, per message type, each field's number, JSON name, type and how Go's {@code encoding/json} writes its
 * zero value (omitempty, pointer, or always). The tables were written from the field facts of the Kubernetes API's
 * {@code generated.proto} files and the Go types' JSON tags; they cover v1.32 (a few newer fields are included,
 * harmlessly). Errors are {@link dev.skiff.apiserver.protobuf.MalformedProtobufException}: a caller answers 400.
 *
 * <p>Thread-safety: {@code KubernetesProtobuf} is stateless; the schema is loaded once and immutable. Every call
 * decodes with its own state, so any number of threads may decode at once.
 */
package dev.skiff.apiserver.protobuf;
