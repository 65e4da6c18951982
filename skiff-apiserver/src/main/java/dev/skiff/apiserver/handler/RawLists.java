package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.cache.WatchCache;
import dev.skiff.apiserver.resource.ResourceType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a list straight from cached JSON: the envelope around the items' bytes, without parsing or re-encoding
 * them. This is what makes a LIST of tens of thousands of objects cheap.
 */
final class RawLists {

    private RawLists() {
    }

    static byte[] encode(ResourceType type, WatchCache.Snapshot snapshot) {
        int size = 128;
        for (CachedObject object : snapshot.items()) {
            size += object.json().length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        write(out, "{\"kind\":\"" + type.listKind() + "\",\"apiVersion\":\"" + type.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\"" + snapshot.revision() + "\"},\"items\":[");
        boolean first = true;
        for (CachedObject object : snapshot.items()) {
            if (!first) {
                out.write(',');
            }
            out.writeBytes(object.json());
            first = false;
        }
        write(out, "]}");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
