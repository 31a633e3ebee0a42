package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sagas: forward steps compensated in reverse when the saga fails.
 *
 * <p>Bound under {@code dtx.saga}.
 *
 * @param enabled Whether @Saga and @SagaStep methods are intercepted.
 * @param defaultTimeout Timeout of a @Saga that declares none; a saga still running then
 * is compensated.
 * @param compensation Retries of compensations, made by recovery, on any instance.
 * @param step Retries of forward steps, in the saga's own thread, for steps that declare
 * no maxAttempts of their own.
 */
@ConfigurationProperties("dtx.saga")
public record DtxSagaProperties(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration defaultTimeout,
		@DefaultValue Compensation compensation, @DefaultValue Step step) {

	/**
	 * Retries of compensations, made by recovery, on any instance.
	 *
	 * @param maxAttempts Attempts at compensating a saga before it is marked FAILED and
	 * left for an operator to retry (Sagas#retry).
	 * @param initialBackoff Delay before the second attempt; it doubles per attempt.
	 * @param maxBackoff Longest delay between two attempts.
	 */
	public record Compensation(@DefaultValue("10") int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
			@DefaultValue("5m") Duration maxBackoff) {

	}

	/**
	 * Retries of forward steps, in the saga's own thread, for steps that declare no
	 * maxAttempts of their own.
	 *
	 * @param maxAttempts How many times a forward step runs at most before its failure
	 * reaches the saga; 1 runs it once.
	 * @param backoff Delay before a step's second attempt; it doubles per attempt.
	 * @param maxBackoff Longest delay between two attempts of a step.
	 */
	public record Step(@DefaultValue("1") int maxAttempts, @DefaultValue("100ms") Duration backoff,
			@DefaultValue("2s") Duration maxBackoff) {

	}

}
