package io.dtx.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sagas by commands: definitions built with {@code SagaDefinition}'s DSL, driven by the
 * orchestrator over Kafka, and the participants' {@code @SagaCommandHandler} methods.
 *
 * <p>Bound under {@code dtx.saga.orchestration}.
 *
 * @param enabled Whether the SagaDefinition beans are checked and run, and the
 * @SagaCommandHandler methods listened for.
 * @param replyChannel Topic the orchestrator's participants reply to, shared by its
 * instances; by default spring.application.name followed by ".saga-replies".
 * @param timeoutCheckInterval Time between two looks for overdue replies and for
 * compensations due to be sent again.
 * @param compensation How a refused or unanswered compensation is sent again.
 * @param retention How long finished sagas, and the fence rows of saga commands, are kept.
 */
@ConfigurationProperties("dtx.saga.orchestration")
public record DtxSagaOrchestrationProperties(@DefaultValue("true") boolean enabled, @Nullable String replyChannel,
		@DefaultValue("1s") Duration timeoutCheckInterval, @DefaultValue Compensation compensation,
		@DefaultValue Retention retention) {

	/**
	 * How a refused or unanswered compensation is sent again before the saga is FAILED.
	 *
	 * @param maxAttempts Sends of a compensation in all, the first included, before the
	 * saga is FAILED and left for an operator to retry.
	 * @param initialBackoff Wait before a refused compensation is sent again, and added to
	 * its step's timeout before an unanswered one is; it doubles each time.
	 * @param maxBackoff Longest such wait.
	 */
	public record Compensation(@DefaultValue("10") int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
			@DefaultValue("1m") Duration maxBackoff) {

	}

	/**
	 * How long what sagas by commands leave behind is kept.
	 *
	 * @param enabled Whether this instance deletes finished sagas (COMPLETED, COMPENSATED,
	 * ABANDONED; never FAILED ones) with their histories, and the fence rows of the saga
	 * commands its participants handled.
	 * @param keepFinished How long a finished saga is kept, and can be looked at, and a
	 * command's fence row: longer than a compensation of it may still come.
	 * @param interval Time between two deletions.
	 */
	public record Retention(@DefaultValue("true") boolean enabled, @DefaultValue("7d") Duration keepFinished,
			@DefaultValue("1h") Duration interval) {

	}

}
