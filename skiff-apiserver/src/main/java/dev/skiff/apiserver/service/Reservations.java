package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.Backend;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.WriteResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reserved values of one range (cluster IPs, or node ports) as one storage key each, under a prefix no resource
 * uses ({@code /registry/ranges/...}; custom resource groups always contain a dot). A reservation is a storage
 * {@code create}, which fails when the key exists: that makes reservations atomic across threads, restarts and API
 * servers sharing one etcd, like upstream's IPAddress objects. Each records its owner and when it was made, so that
 * {@link AllocationRepair} can tell a leak (the owner never got stored) from a create still in flight.
 * Thread-safe; blocking (storage calls).
 */
final class Reservations {

    /** One reservation as stored. */
    record Reservation(String item, Owner owner, Instant reservedAt, long revision) {
    }

    private final Backend backend;
    private final String prefix;
    private final ObjectMapper json;
    private final Clock clock;

    Reservations(Backend backend, String prefix, ObjectMapper json, Clock clock) {
        this.backend = backend;
        this.prefix = prefix;
        this.json = json;
        this.clock = clock;
    }

    /** Reserves {@code item} for {@code owner}; false if it is already reserved (by anyone). */
    boolean reserve(String item, Owner owner) {
        ObjectNode value = json.createObjectNode();
        value.put("namespace", owner.namespace()).put("name", owner.name())
                .put("reservedAt", Instant.now(clock).toString());
        WriteResult result = backend.create(prefix + item, encode(value));
        return switch (result) {
            case WriteResult.Committed committed -> true;
            case WriteResult.KeyExists exists -> false;
            default -> throw ApiException.internal("unexpected storage result " + result);
        };
    }

    /** The reservation of {@code item}, if any. */
    Optional<Reservation> get(String item) {
        KeyValue kv = backend.get(prefix + item).kv();
        return kv == null ? Optional.empty() : Optional.of(decode(kv));
    }

    /**
     * Gives {@code item} back if {@code owner} holds it. A reservation of someone else (the item was already
     * released and reserved again) is left alone, so a late or repeated release never frees another's value.
     */
    void release(String item, Owner owner) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<Reservation> current = get(item);
            if (current.isEmpty() || !current.get().owner().equals(owner)) {
                return;
            }
            if (!(backend.delete(prefix + item, current.get().revision()) instanceof WriteResult.RevisionMismatch)) {
                return;
            }
        }
    }

    /** Removes a reservation exactly as it was read (false if it changed or went meanwhile). */
    boolean remove(Reservation reservation) {
        return backend.delete(prefix + reservation.item(), reservation.revision())
                instanceof WriteResult.Committed;
    }

    /** Every reservation. */
    List<Reservation> list() {
        List<Reservation> all = new ArrayList<>();
        String from = null;
        long revision = 0;
        while (true) {
            ListResult page = backend.list(KeyRange.prefix(prefix, from), revision, 1000);
            revision = page.revision();
            for (KeyValue kv : page.items()) {
                all.add(decode(kv));
            }
            if (!page.more()) {
                return all;
            }
            from = page.continueFrom();
        }
    }

    private Reservation decode(KeyValue kv) {
        try {
            JsonNode value = json.readTree(kv.value());
            return new Reservation(kv.key().substring(prefix.length()),
                    new Owner(value.path("namespace").asText(""), value.path("name").asText("")),
                    Instant.parse(value.path("reservedAt").asText(Instant.EPOCH.toString())), kv.modRevision());
        } catch (IOException | RuntimeException e) {
            throw ApiException.internal("cannot decode reservation " + kv.key() + ": " + e.getMessage());
        }
    }

    private byte[] encode(ObjectNode value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw ApiException.internal("cannot encode reservation: " + e.getMessage());
        }
    }
}
