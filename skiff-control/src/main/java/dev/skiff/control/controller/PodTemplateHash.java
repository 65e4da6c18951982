package dev.skiff.control.controller;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.nio.charset.StandardCharsets;

/**
 * The {@code pod-template-hash} of a Deployment's template, after upstream's {@code controller.ComputeHash}: FNV-32a
 * over the template, then over the collision count (4 bytes little-endian) when set, the 32-bit sum printed in
 * decimal and each digit mapped through upstream's {@code rand.SafeEncodeString} alphabet (no vowels, no
 * look-alike characters, so names never spell words).
 *
 * <p>Upstream hashes Go's debug printing of the struct, which Java cannot reproduce; Skiff hashes canonical JSON
 * (map keys sorted, nulls omitted) instead. The hash is only ever compared with hashes Skiff computed, so only
 * stability matters: equal templates hash equal, and a new {@code collisionCount} gives a new name.
 */
public final class PodTemplateHash {

    public static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private PodTemplateHash() {
    }

    public static String of(PodTemplateSpec template, Integer collisionCount) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(template);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("template does not serialize", e);
        }
        int hash = fnv32a(0x811c9dc5, bytes);
        if (collisionCount != null) {
            int c = collisionCount;
            hash = fnv32a(hash, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    public static int fnv32a(int hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        return hash;
    }

    /** Upstream's {@code rand.SafeEncodeString}: each character replaced by the alphabet entry at its code mod 27. */
    public static String safeEncode(String s) {
        byte[] in = s.getBytes(StandardCharsets.US_ASCII);
        StringBuilder out = new StringBuilder(in.length);
        for (byte b : in) {
            out.append(ALPHANUMS.charAt((b & 0xff) % ALPHANUMS.length()));
        }
        return out.toString();
    }
}
