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
import java.util.List;
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
