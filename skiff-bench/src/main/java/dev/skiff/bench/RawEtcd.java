package dev.skiff.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

/**
 * etcd with no Skiff code in between: the peer the engines are compared with.
 *
 * <p>A create is the transaction kube-apiserver sends for one ({@code if createRevision(key) == 0 then put}), a list
 * is one range request over the prefix, exactly as a client of etcd would issue them.
 */
final class RawEtcd implements CreateTarget, AutoCloseable {

    private static final long TIMEOUT_SECONDS = 60;

    private final Client client;
    private final KV kv;

    RawEtcd(List<URI> endpoints) {
        this.client = Client.builder()
                .endpoints(endpoints.toArray(URI[]::new))
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .build();
        this.kv = client.getKVClient();
    }

    @Override
    public boolean create(String key, byte[] value) throws Exception {
        ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
        return kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .commit()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .isSucceeded();
    }

    /**
     * Puts {@code count} keys {@code prefix + %08d}, {@code batch} per transaction from {@code writers} concurrent
     * writers. Only for loading data a later measurement reads: one create per key would spend most of the run
     * waiting for etcd's disk syncs, which the write phases measure already.
     */
    void load(String prefix, int count, byte[] value, int batch, int writers) throws InterruptedException {
        ByteSequence v = ByteSequence.from(value);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        int batches = Math.ceilDiv(count, batch);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().name("bench-etcd-loader-" + w).start(() -> {
                try {
                    for (int b = writer; b < batches && failure.get() == null; b += writers) {
                        List<Op> puts = new ArrayList<>(batch);
                        for (int i = b * batch; i < Math.min(count, (b + 1) * batch); i++) {
                            puts.add(Op.put(ByteSequence.from(prefix + String.format("%08d", i), StandardCharsets.UTF_8),
                                    v, PutOption.DEFAULT));
                        }
                        kv.txn().Then(puts.toArray(Op[]::new)).commit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading etcd failed: " + failure.get(), failure.get());
        }
    }

    /** Reads every key under {@code prefix} in one range request; returns how many came back. */
    int list(String prefix) throws Exception {
        ByteSequence p = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        return kv.get(p, GetOption.builder().isPrefix(true).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .getKvs().size();
    }

    @Override
    public void close() {
        client.close();
    }
}
