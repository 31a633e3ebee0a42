package io.dtx.core;

import java.time.Duration;

/**
 * Exponential delays between attempts: {@code initial}, doubling per attempt, never
 * longer than {@code max}.
 *
 * @param initial delay after the first failed attempt
 * @param max longest delay
 */
public record Backoff(Duration initial, Duration max) {

	/**
	 * The delay after {@code attempts} earlier failed attempts (0 after the first).
	 */
	public Duration delay(int attempts) {
		Duration delay = this.initial.multipliedBy(1L << Math.min(Math.max(attempts, 0), 20));
		return (delay.compareTo(this.max) > 0) ? this.max : delay;
	}

}
