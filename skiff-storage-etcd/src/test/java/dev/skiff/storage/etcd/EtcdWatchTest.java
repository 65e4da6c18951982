package dev.skiff.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import dev.skiff.storage.contract.RecordingListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link EtcdWatch} against a scripted jetcd watch client: the reconnect, de-duplication and ending rules, which a
 * healthy local etcd never exercises.
 */
class EtcdWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final KeySpace KEYS = KeySpace.of("/p");
    private static final Executor DIRECT_THREAD = task -> Thread.ofVirtual().start(task);

    /** One etcd watch the code under test opened. */
    private record Opened(long revision, io.etcd.jetcd.Watch.Listener listener, AtomicBoolean closed) {
        void send(long... revisions) {
            ResponseHeader header = ResponseHeader.newBuilder().setRevision(revisions[revisions.length - 1]).build();
            io.etcd.jetcd.api.WatchResponse.Builder response =
                    io.etcd.jetcd.api.WatchResponse.newBuilder().setHeader(header);
            for (long revision : revisions) {
                response.addEvents(Event.newBuilder().setType(Event.EventType.PUT).setKv(KeyValue.newBuilder()
                        .setKey(ByteString.copyFromUtf8("/p/k" + revision))
                        .setValue(ByteString.copyFromUtf8("v"))
                        .setCreateRevision(revision).setModRevision(revision).setVersion(1)));
            }
            listener.onNext(new WatchResponse(response.build(), ByteSequence.EMPTY));
        }

        void progress(long headerRevision) {
            listener.onNext(new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder()
                    .setHeader(ResponseHeader.newBuilder().setRevision(headerRevision)).build()));
        }

        void created(long headerRevision) {
            listener.onNext(new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder().setCreated(true)
                    .setHeader(ResponseHeader.newBuilder().setRevision(headerRevision)).build()));
        }
    }

    /** Records every watch opened; the test drives the callbacks. */
    private static final class ScriptedWatchClient implements io.etcd.jetcd.Watch {
        final List<Opened> opened = new CopyOnWriteArrayList<>();

        @Override
        public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
            assertThat(key.toString(StandardCharsets.UTF_8)).isEqualTo("/p/");
            assertThat(option.isPrevKV()).isTrue();
            AtomicBoolean closed = new AtomicBoolean();
            opened.add(new Opened(option.getRevision(), listener, closed));
            return new Watcher() {
                @Override
                public void close() {
                    if (closed.compareAndSet(false, true)) {
                        listener.onCompleted(); // as jetcd does
                    }
                }

                @Override
                public boolean isClosed() {
                    return closed.get();
                }

                @Override
                public void requestProgress() {
                }
            };
        }

        @Override
        public void requestProgress() {
        }

        @Override
        public void close() {
        }

        Opened last() {
            return opened.getLast();
        }
    }

    private final ScriptedWatchClient client = new ScriptedWatchClient();
    private final AtomicInteger endedCalls = new AtomicInteger();
    private final RecordingListener listener = new RecordingListener();
    /** Events and progress marks in the order the listener saw them. */
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final WatchListener recorder = new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
            order.add("event " + event.revision());
            listener.onEvent(event);
        }

        @Override
        public void onProgress(long revision) {
            order.add("progress " + revision);
        }

        @Override
        public void onEnd(WatchEnd end) {
            listener.onEnd(end);
        }
    };

    private EtcdWatch start(long fromRevision) {
        EtcdWatch.Host host = new EtcdWatch.Host() {
            @Override
            public io.etcd.jetcd.Watch watchClient() {
                return client;
            }

            @Override
            public KeySpace keySpace() {
                return KEYS;
            }

            @Override
            public long compactedTo(long etcdCompactRevision) {
                return etcdCompactRevision + 1;
            }

            @Override
            public void ended(EtcdWatch watch) {
                endedCalls.incrementAndGet();
            }
        };
        EtcdWatch watch = new EtcdWatch(host, KEYS.bounds(KeyRange.prefix("/")), fromRevision,
                new SerialDelivery(recorder, DIRECT_THREAD));
        watch.start();
        return watch;
    }

    private static Throwable unavailable() {
        return Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException();
    }

    @Test
    void aBrokenStreamIsReopenedAfterTheLastDeliveredEventAndReplaysAreDropped() {
        start(5);
        Opened first = client.last();
        assertThat(first.revision()).isEqualTo(5);
        first.send(5, 6);

        first.listener().onError(unavailable());

        assertThat(first.closed()).as("the broken etcd watch is closed").isTrue();
        await().atMost(WAIT).until(() -> client.opened.size() == 2);
        Opened second = client.last();
        assertThat(second.revision()).isEqualTo(7);
        second.send(6, 7); // overlapping replay, as a server may send after a reconnect
        second.send(8);
        first.send(9); // a late callback of the superseded stream

        await().atMost(WAIT).until(() -> listener.events().size() == 4);
        assertThat(listener.revisions()).containsExactly(5L, 6L, 7L, 8L);
        assertThat(listener.events()).allMatch(e -> e instanceof WatchEvent.Put p && p.key().startsWith("/k"));
        assertThat(listener.end()).isNull();
    }

    @Test
    void aStreamThatBreaksBeforeReplayingHistoryResumesAtTheRequestedRevisionNotTheHeaders() {
        start(3);
        Opened first = client.last();
        first.created(40); // the header carries the current revision, not how far the replay got

        first.listener().onError(unavailable());

        await().atMost(WAIT).until(() -> client.opened.size() == 2);
        assertThat(client.last().revision()).isEqualTo(3);
    }

    @Test
    void compactionEndsTheWatchWithTheStoresCompactionPoint() {
        start(2);
        Opened first = client.last();

        first.listener().onError(EtcdExceptionFactory.newCompactedException(9));

        await().atMost(WAIT).until(() -> listener.end() != null);
        assertThat(listener.end()).isEqualTo(new WatchEnd.Compacted(10));
        assertThat(first.closed()).isTrue();
        assertThat(endedCalls).hasValue(1);
        assertThat(client.opened).hasSize(1);
    }

    @Test
    void cancelEndsOnceAndSilencesLateCallbacks() {
        EtcdWatch watch = start(1);
        Opened first = client.last();
        first.send(1);

        watch.cancel();
        watch.cancel();
        first.send(2);
        first.listener().onError(unavailable());

        await().atMost(WAIT).until(() -> listener.end() != null);
        assertThat(listener.end()).isInstanceOf(WatchEnd.Cancelled.class);
        assertThat(listener.endCount()).isEqualTo(1);
        assertThat(listener.revisions()).containsExactly(1L);
        assertThat(first.closed()).isTrue();
        assertThat(endedCalls).hasValue(1);
        assertThat(client.opened).as("no reconnect after cancel").hasSize(1);
    }

    @Test
    void progressNotificationsFollowTheEventsBeforeThemAndNeverGoBack() {
        start(5);
        Opened first = client.last();
        first.progress(4); // caught up before anything happened in range: all up to 4 (before the start) is known
        first.send(5, 6);
        first.progress(9);
        first.progress(7); // stale: dropped
        first.send(10);
        first.progress(10);
        first.progress(10); // repeated: dropped

        await().atMost(WAIT).until(() -> order.size() == 6);
        assertThat(order).containsExactly("progress 4", "event 5", "event 6", "progress 9", "event 10", "progress 10");
    }

    @Test
    void progressBehindWhatWasDeliveredIsDropped() {
        start(5);
        Opened first = client.last();
        first.send(5, 6, 7);
        first.progress(6);
        first.send(8);

        await().atMost(WAIT).until(() -> order.size() == 4);
        assertThat(order).containsExactly("event 5", "event 6", "event 7", "event 8");
    }

    @Test
    void aStreamTheServerEndsIsReopened() {
        start(4);
        Opened first = client.last();
        first.send(4);

        first.listener().onCompleted();

        await().atMost(WAIT).until(() -> client.opened.size() == 2);
        assertThat(client.last().revision()).isEqualTo(5);
        assertThat(listener.end()).isNull();
    }
}
