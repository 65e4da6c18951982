package dev.skiff.node.cri.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the kernel's TCP tables for a listener that 127.0.0.1 reaches. */
class NetnsPortForwardTest {

    @TempDir
    Path net;

    @Test
    void listenersOnLoopbackOrAnyAddressCountOthersDoNot() throws Exception {
        String header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        Files.writeString(net.resolve("tcp"), header
                + "   0: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n"
                + "   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2\n"
                + "   2: 0A01A8C0:1F92 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3\n"
                + "   3: 0100007F:1F93 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 4\n");
        Files.writeString(net.resolve("tcp6"), header
                + "   0: 00000000000000000000000000000000:1F94 00000000000000000000000000000000:0000 0A 0 0 0 0 0 5\n");

        assertThat(NetnsPortForward.listening(net, 8081)).as("127.0.0.1").isTrue();
        assertThat(NetnsPortForward.listening(net, 80)).as("0.0.0.0").isTrue();
        assertThat(NetnsPortForward.listening(net, 8082)).as("only the pod's address").isFalse();
        assertThat(NetnsPortForward.listening(net, 8083)).as("an established connection").isFalse();
        assertThat(NetnsPortForward.listening(net, 8084)).as("::").isTrue();
        assertThat(NetnsPortForward.listening(net.resolve("gone"), 8081)).isFalse();
    }
}
