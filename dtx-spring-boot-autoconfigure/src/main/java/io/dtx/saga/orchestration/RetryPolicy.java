package io.dtx.saga.orchestration;

import java.time.Duration;

/**
 * How often a step's command is sent again when its reply does not come within the step's
 * timeout, and how long to wait between two sends (doubling from {@code initialBackoff} up
 * to {@code maxBackoff}). Once {@code maxAttempts} sends went unanswered, the saga is
 * compensated.
 *
 * @param maxAttempts sends of the command in all, the first included
 * @param initialBackoff wait after the first unanswered send
 * @param maxBackoff longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

	/** One send, no retry: the default of a step. */
	public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

	/**
	 * {@code maxAttempts} sends, waiting from {@code initialBackoff}, doubling, up to
	 * {@code maxBackoff}.
	 */
	public static RetryPolicy attempts(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
		return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
	}

}
