/**
 * A blocking client for the Container Runtime Interface ({@code runtime.v1.RuntimeService} and
 * {@code runtime.v1.ImageService}) over a unix socket, with deadlines on every call. The protocol classes in
 * {@code dev.skiff.node.cri.proto} are generated from {@code src/main/proto/cri.proto}.
 */
package dev.skiff.node.cri.client;
