package dev.skiff.node.agent.probe;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal client of the standard gRPC health service ({@code grpc.health.v1.Health/Check}) over cleartext HTTP/2
 * with prior knowledge, as the kubelet's grpc probe calls it (no TLS, no authentication). It sends one request on
 * stream 1 and reads frames until the response message or the stream ends; grpc-java would weigh more than the
 * whole node agent for this one call. Headers are HPACK-encoded without Huffman or the dynamic table (allowed by
 * RFC 7541); the response's headers are not decoded, only its message: {@code HealthCheckResponse.status} (field
 * 1), SERVING = 1. Stateless and thread-safe.
 */
final class GrpcHealthCheck {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final String[] STATUS = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private GrpcHealthCheck() {
    }

    static Outcome check(String host, int port, String service, Duration timeout) {
        String address = host + ":" + port;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            frame(out, HEADERS, 0x4, 1, headers(address));
            frame(out, DATA, 0x1, 1, message(service));
            out.flush();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return Outcome.failure("timeout: health rpc did not complete within " + timeout.toSeconds() + "s");
                }
                socket.setSoTimeout((int) left);
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & 0x1) == 0) {
                            frame(out, SETTINGS, 0x1, 0, new byte[0]);
                            out.flush();
                        }
                    }
                    case PING -> {
                        if ((flags & 0x1) == 0) {
                            frame(out, PING, 0x1, 0, payload);
                            out.flush();
                        }
                    }
                    case DATA -> {
                        if (stream == 1) {
                            body.write(unpadded(payload, flags));
                            Outcome o = parse(body.toByteArray());
                            if (o != null) {
                                return o;
                            }
                        }
                    }
                    case HEADERS -> {
                        if (stream == 1 && (flags & 0x1) != 0) {
                            return Outcome.failure("rpc error: the health service answered without a status "
                                    + "(is grpc.health.v1.Health registered?)");
                        }
                    }
                    case RST_STREAM, GOAWAY -> {
                        return Outcome.failure("rpc error: the server reset the health check");
                    }
                    default -> {
                        // WINDOW_UPDATE, PRIORITY and unknown frames need nothing from a one-shot client.
                    }
                }
            }
        } catch (IOException e) {
            return Outcome.failure("failed to connect service \"" + address + "\" within " + timeout.toSeconds()
                    + "s: " + e.getMessage());
        }
    }

    /** The response once a whole gRPC message arrived, else null. */
    private static Outcome parse(byte[] body) {
        if (body.length < 5) {
            return null;
        }
        int length = ((body[1] & 0xff) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (body.length < 5 + length) {
            return null;
        }
        int status = 0;
        int i = 5;
        while (i < 5 + length) {
            int tag = body[i++] & 0xff;
            if (tag == 0x08) { // field 1, varint
                int value = 0;
                int shift = 0;
                int b;
                do {
                    b = body[i++] & 0xff;
                    value |= (b & 0x7f) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                status = value;
            } else {
                break; // no other fields in HealthCheckResponse
            }
        }
        String name = status >= 0 && status < STATUS.length ? STATUS[status] : String.valueOf(status);
        return status == 1 ? Outcome.success("")
                : Outcome.failure("service unhealthy (responded with \"" + name + "\")");
    }

    private static byte[] unpadded(byte[] payload, int flags) {
        if ((flags & 0x8) == 0 || payload.length == 0) {
            return payload;
        }
        int pad = payload[0] & 0xff;
        return java.util.Arrays.copyOfRange(payload, 1, Math.max(1, payload.length - pad));
    }

    private static byte[] headers(String authority) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x83); // :method POST (static table 3)
        b.write(0x86); // :scheme http (6)
        literal(b, 4, "/grpc.health.v1.Health/Check"); // :path, name from static table 4
        literal(b, 1, authority); // :authority (1)
        literal(b, 31, "application/grpc"); // content-type (31)
        b.write(0x00); // te: trailers, a literal with a new name
        string(b, "te");
        string(b, "trailers");
        b.write(0x00);
        string(b, "user-agent");
        string(b, "kube-probe/1.32");
        return b.toByteArray();
    }

    /** A literal header field without indexing, its name from the static table (4-bit prefix). */
    private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
        integer(b, 0x00, 4, nameIndex);
        string(b, value);
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        integer(b, 0x00, 7, bytes.length);
        b.writeBytes(bytes);
    }

    /** HPACK's prefixed integer (RFC 7541, 5.1). */
    private static void integer(ByteArrayOutputStream b, int high, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            b.write(high | value);
            return;
        }
        b.write(high | max);
        value -= max;
        while (value >= 128) {
            b.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        b.write(value);
    }

    private static byte[] message(String service) {
        byte[] name = service == null ? new byte[0] : service.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        if (name.length > 0) {
            proto.write(0x0A); // field 1, length-delimited
            int n = name.length;
            while (n >= 128) {
                proto.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            proto.write(n);
            proto.writeBytes(name);
        }
        byte[] p = proto.toByteArray();
        byte[] out = new byte[5 + p.length];
        out[1] = (byte) (p.length >>> 24);
        out[2] = (byte) (p.length >>> 16);
        out[3] = (byte) (p.length >>> 8);
        out[4] = (byte) p.length;
        System.arraycopy(p, 0, out, 5, p.length);
        return out;
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream});
        out.write(payload);
    }
}
