package io.dtx.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delays recovery and the relay wait between attempts.
 */
class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

	@Test
	void firstDelayIsTheInitialOne() {
		assertThat(this.backoff.delay(0)).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void delayDoublesWithEachAttempt() {
		assertThat(this.backoff.delay(1)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.delay(2)).isEqualTo(Duration.ofMillis(400));
		assertThat(this.backoff.delay(6)).isEqualTo(Duration.ofMillis(6400));
	}

	@Test
	void delayIsCappedAtMax() {
		assertThat(this.backoff.delay(7)).as("12.8s without the cap").isEqualTo(Duration.ofSeconds(10));
		assertThat(this.backoff.delay(30)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void negativeAttemptsCountAsNone() {
		assertThat(this.backoff.delay(-1)).isEqualTo(Duration.ofMillis(100));
		assertThat(this.backoff.delay(Integer.MIN_VALUE)).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void hugeAttemptCountsDoNotOverflow() {
		assertThat(this.backoff.delay(63)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.backoff.delay(64)).as("a shift by 64 would wrap to 1").isEqualTo(Duration.ofSeconds(10));
		assertThat(this.backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void longInitialDelaysDoNotOverflowEither() {
		Backoff slow = new Backoff(Duration.ofDays(1), Duration.ofDays(7));
		assertThat(slow.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(7));
	}

	@Test
	void doublingStopsAfterTwentyAttempts() {
		// 2^20 times the initial delay is the longest a delay grows, whatever max says
		Backoff tiny = new Backoff(Duration.ofMillis(1), Duration.ofDays(1));
		assertThat(tiny.delay(20)).isEqualTo(Duration.ofMillis(1L << 20));
		assertThat(tiny.delay(21)).isEqualTo(Duration.ofMillis(1L << 20));
	}

	@Test
	void initialLongerThanMaxGivesMax() {
		assertThat(new Backoff(Duration.ofMinutes(1), Duration.ofSeconds(5)).delay(0)).isEqualTo(Duration.ofSeconds(5));
	}

}
