package dev.skiff.node.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * SPDY/3.1 framing for one connection, outside any Netty pipeline: Netty's {@link SpdyFrameCodec} in an
 * {@link EmbeddedChannel}, fed with the bytes of the tunnel's WebSocket messages (which may split or join frames
 * anywhere) and turning frames into bytes. The codec's header-block compression state (zlib with SPDY's dictionary)
 * lives for the connection, as the protocol requires. Thread-safe: calls are serialized, so frames leave in the
 * order they were encoded.
 */
final class SpdyCodec {

    private final EmbeddedChannel channel = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    /** The frames completed by {@code bytes} (and what came before); the caller releases data frames. */
    synchronized List<SpdyFrame> decode(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<SpdyFrame> frames = new ArrayList<>();
        Object frame;
        while ((frame = channel.readInbound()) != null) {
            if (frame instanceof SpdyFrame spdy) {
                frames.add(spdy);
            } else {
                ReferenceCountUtil.release(frame);
            }
        }
        return frames;
    }

    /** The bytes of {@code frame} (which this releases). */
    synchronized byte[] encode(SpdyFrame frame) {
        channel.writeOutbound(frame);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            try {
                byte[] bytes = new byte[buffer.readableBytes()];
                buffer.readBytes(bytes);
                out.writeBytes(bytes);
            } finally {
                buffer.release();
            }
        }
        return out.toByteArray();
    }

    synchronized void close() {
        channel.finishAndReleaseAll();
    }
}
