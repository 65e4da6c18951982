package dev.skiff.node.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The kubelet token manager's renewal rule: after 80% of the token's life, or after 24 hours. */
class ApiTokenSourceTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTokenIsRenewedAfterEightyPercentOfItsLife() {
        var token = new ApiTokenSource.Cached("t", T0, T0.plusSeconds(3600));
        assertThat(ApiTokenSource.requiresRefresh(token, T0.plusSeconds(2879))).isFalse();
        assertThat(ApiTokenSource.requiresRefresh(token, T0.plusSeconds(2880))).isTrue();
    }

    @Test
    void aLongLivedTokenIsRenewedAfterADay() {
        var token = new ApiTokenSource.Cached("t", T0, T0.plus(Duration.ofDays(10)));
        assertThat(ApiTokenSource.requiresRefresh(token, T0.plus(Duration.ofHours(23)))).isFalse();
        assertThat(ApiTokenSource.requiresRefresh(token, T0.plus(Duration.ofHours(24)))).isTrue();
    }
}
