package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link SagaDefinition}: either a command sent to a participant's channel
 * (built from the saga's state), whose reply may change the state, or a local step run in
 * the orchestrator's own database; and, for either, what undoes it.
 *
 * @param <S> the saga's state
 * @param name the step's name, unique in its saga
 * @param command the command, where the step is one
 * @param reply what the command's success reply does to the state, where it does anything
 * @param local the local step's work on the state, where the step is one
 * @param compensation the command that undoes the step, where one does
 * @param localCompensation the local work that undoes the step, where it is local
 * @param timeout how long the command's reply may take, per send
 * @param retry how often the command is sent again without a reply
 */
public record SagaStepDefinition<S>(String name, @Nullable Command<S> command, @Nullable Reply<S, ?> reply,
		@Nullable UnaryOperator<S> local, @Nullable Command<S> compensation, @Nullable UnaryOperator<S> localCompensation,
		@Nullable Duration timeout, RetryPolicy retry) {

	/**
	 * Whether the step sends a command (otherwise it runs locally).
	 */
	public boolean remote() {
		return this.command != null;
	}

	/**
	 * Whether the step has anything that undoes it.
	 */
	public boolean compensated() {
		return this.compensation != null || this.localCompensation != null;
	}

	/**
	 * A command to a participant's channel, built from the saga's state. Its type on the
	 * wire is the simple name of the built object's class, which the participant's handler
	 * takes as its parameter.
	 *
	 * @param <S> the saga's state
	 * @param channel the participant's channel (a Kafka topic)
	 * @param build makes the command from the state
	 */
	public record Command<S>(String channel, Function<S, ?> build) {

	}

	/**
	 * What a success reply does to the state.
	 *
	 * @param <S> the saga's state
	 * @param <R> the reply
	 * @param type the reply's type, read from its JSON
	 * @param apply the new state from the old one and the reply
	 */
	public record Reply<S, R>(Class<R> type, BiFunction<S, R, S> apply) {

	}

}
