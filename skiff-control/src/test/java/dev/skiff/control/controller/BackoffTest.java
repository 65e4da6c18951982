package dev.skiff.control.controller;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesPerFailureUpToTheCapPerKey() {
        Backoff<String> backoff = new Backoff<>(Duration.ofMillis(5), Duration.ofMillis(100));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(10));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(20));
        assertThat(backoff.when("b")).isEqualTo(Duration.ofMillis(5));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(40));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(80));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.failures("a")).isEqualTo(6);
    }

    @Test
    void neverOverflowsAfterManyFailures() {
        Backoff<String> backoff = Backoff.defaults();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            last = backoff.when("a");
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(1000));
    }

    @Test
    void forgetResetsTheKey() {
        Backoff<String> backoff = new Backoff<>(Duration.ofMillis(5), Duration.ofSeconds(1));
        backoff.when("a");
        backoff.when("a");
        backoff.forget("a");
        assertThat(backoff.failures("a")).isZero();
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
    }
}
