package dev.skiff.node.cri.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the Status a streaming server writes on the error channel, in the shapes upstream's server writes. */
class ChannelSessionStatusTest {

    @Test
    void successNonZeroExitAndOtherFailures() {
        assertThat(ChannelSession.outcomeOf("{\"metadata\":{},\"status\":\"Success\"}"))
                .isEqualTo(new ChannelSession.Outcome.Exited(0));
        assertThat(ChannelSession.outcomeOf("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command "
                + "terminated with non-zero exit code: exit status 3\",\"reason\":\"NonZeroExitCode\",\"details\":"
                + "{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}"))
                .isEqualTo(new ChannelSession.Outcome.Exited(3));
        assertThat(ChannelSession.outcomeOf("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"exec: "
                + "\\\"nope\\\": executable file not found\"}"))
                .isEqualTo(new ChannelSession.Outcome.Failed("exec: \\\"nope\\\": executable file not found"));
        assertThat(ChannelSession.outcomeOf("")).isEqualTo(new ChannelSession.Outcome.Closed());
    }
}
