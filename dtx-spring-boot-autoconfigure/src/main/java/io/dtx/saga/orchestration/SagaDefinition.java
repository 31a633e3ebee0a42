package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.dtx.core.DtxWiringException;
import org.jspecify.annotations.Nullable;

/**
 * A saga by commands, defined once as a bean: its name, the type of its state (kept as
 * JSON by the orchestrator) and its named steps, run in order; when one fails, the steps
 * before it are compensated in reverse.
 *
 * <pre class="code">
 * &#64;Bean
 * SagaDefinition&lt;Order&gt; placeOrder() {
 *     return SagaDefinition.builder("place-order", Order.class)
 *         .step("charge")
 *             .command("payment", (order) -&gt; new Charge(order.id(), order.amount()))
 *             .onReply(Charged.class, (order, charged) -&gt; order.paidBy(charged.paymentId()))
 *             .compensation("payment", (order) -&gt; new Refund(order.paymentId()))
 *             .timeout(Duration.ofSeconds(30))
 *             .retry(RetryPolicy.attempts(3, Duration.ofSeconds(1), Duration.ofSeconds(10)))
 *         .step("reserve")
 *             .command("stock", (order) -&gt; new Reserve(order.id(), order.item(), order.quantity()))
 *         .step("finish")
 *             .local(Order::finished)
 *         .build();
 * }
 * </pre>
 *
 * A definition that cannot run — no steps, two steps of one name, a step with neither a
 * command nor local work, a compensation with no command — is refused by {@code build()},
 * so the application fails at start-up, naming the saga and the step.
 *
 * @param <S> the saga's state
 */
public final class SagaDefinition<S> {

	// the fence's branch id column, where a participant keeps the step's name
	private static final int MAX_STEP_NAME = 64;

	private final String name;

	private final Class<S> stateType;

	private final List<SagaStepDefinition<S>> steps;

	private SagaDefinition(String name, Class<S> stateType, List<SagaStepDefinition<S>> steps) {
		this.name = name;
		this.stateType = stateType;
		this.steps = List.copyOf(steps);
	}

	/**
	 * Starts the definition of the saga {@code name}, whose state is a {@code stateType}.
	 */
	public static <S> Builder<S> builder(String name, Class<S> stateType) {
		return new Builder<>(name, stateType);
	}

	public String name() {
		return this.name;
	}

	public Class<S> stateType() {
		return this.stateType;
	}

	/**
	 * The steps in the order they run.
	 */
	public List<SagaStepDefinition<S>> steps() {
		return this.steps;
	}

	/**
	 * The step of that name.
	 * @throws IllegalArgumentException where the saga has none
	 */
	public SagaStepDefinition<S> step(String stepName) {
		return this.steps.stream()
			.filter((step) -> step.name().equals(stepName))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Saga '" + this.name + "' has no step '" + stepName + "'"));
	}

	@Override
	public String toString() {
		return "saga '" + this.name + "' " + this.steps.stream().map(SagaStepDefinition::name).toList();
	}

	/**
	 * Builds a {@link SagaDefinition}: {@link #step(String)} starts each step.
	 *
	 * @param <S> the saga's state
	 */
	public static final class Builder<S> {

		private final String name;

		private final Class<S> stateType;

		private final List<StepBuilder<S>> steps = new ArrayList<>();

		private Builder(String name, Class<S> stateType) {
			this.name = name;
			this.stateType = stateType;
		}

		/**
		 * Starts the next step.
		 */
		public StepBuilder<S> step(String stepName) {
			StepBuilder<S> step = new StepBuilder<>(this, stepName);
			this.steps.add(step);
			return step;
		}

		/**
		 * The definition.
		 * @throws DtxWiringException where it cannot run, naming the saga and the step
		 */
		public SagaDefinition<S> build() {
			if (this.name == null || this.name.isBlank()) {
				throw invalid("A saga definition has no name", "Name it in SagaDefinition.builder(name, stateType)");
			}
			if (this.steps.isEmpty()) {
				throw invalid("Saga '" + this.name + "' has no steps", "Add its steps with .step(name)");
			}
			Set<String> names = new HashSet<>();
			List<SagaStepDefinition<S>> built = new ArrayList<>();
			for (StepBuilder<S> step : this.steps) {
				if (!names.add(step.name)) {
					throw invalid(where(step) + " is defined twice", "Give each step of a saga a name of its own");
				}
				built.add(step.definition());
			}
			return new SagaDefinition<>(this.name, this.stateType, built);
		}

		private String where(StepBuilder<S> step) {
			return "Saga '" + this.name + "', step '" + step.name + "'";
		}

		private static DtxWiringException invalid(String description, String action) {
			return new DtxWiringException(description, action);
		}

	}

	/**
	 * Builds one step; {@link #step(String)} goes on to the next, {@link #build()} ends the
	 * definition.
	 *
	 * @param <S> the saga's state
	 */
	public static final class StepBuilder<S> {

		private final Builder<S> saga;

		private final String name;

		private SagaStepDefinition.@Nullable Command<S> command;

		private SagaStepDefinition.@Nullable Reply<S, ?> reply;

		private @Nullable UnaryOperator<S> local;

		private SagaStepDefinition.@Nullable Command<S> compensation;

		private @Nullable UnaryOperator<S> localCompensation;

		private boolean compensationDeclared;

		private @Nullable Duration timeout;

		private RetryPolicy retry = RetryPolicy.NONE;

		private StepBuilder(Builder<S> saga, String name) {
			this.saga = saga;
			this.name = name;
		}

		/**
		 * The step sends the command {@code build} makes from the state to the participant
		 * that listens on {@code channel}.
		 */
		public StepBuilder<S> command(String channel, Function<S, ?> build) {
			this.command = new SagaStepDefinition.Command<>(channel, build);
			return this;
		}

		/**
		 * What the command's success reply, a {@code replyType}, does to the state.
		 */
		public <R> StepBuilder<S> onReply(Class<R> replyType, BiFunction<S, R, S> apply) {
			this.reply = new SagaStepDefinition.Reply<>(replyType, apply);
			return this;
		}

		/**
		 * The step runs {@code work} on the state in the orchestrator's own database, in the
		 * transaction of the saga's transition.
		 */
		public StepBuilder<S> local(UnaryOperator<S> work) {
			this.local = work;
			return this;
		}

		/**
		 * The step is undone by the command {@code build} makes, sent to {@code channel}.
		 */
		public StepBuilder<S> compensation(String channel, @Nullable Function<S, ?> build) {
			this.compensationDeclared = true;
			this.compensation = (build != null) ? new SagaStepDefinition.Command<>(channel, build) : null;
			return this;
		}

		/**
		 * The step is undone by {@code work} in the orchestrator's own database.
		 */
		public StepBuilder<S> localCompensation(UnaryOperator<S> work) {
			this.localCompensation = work;
			return this;
		}

		/**
		 * How long the command's reply may take, per send; without one it may take as long
		 * as it takes.
		 */
		public StepBuilder<S> timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * How often the command is sent again when its reply does not come within the
		 * timeout.
		 */
		public StepBuilder<S> retry(RetryPolicy retry) {
			this.retry = retry;
			return this;
		}

		/**
		 * Ends this step and starts the next.
		 */
		public StepBuilder<S> step(String stepName) {
			return this.saga.step(stepName);
		}

		/**
		 * Ends this step and the definition.
		 */
		public SagaDefinition<S> build() {
			return this.saga.build();
		}

		private SagaStepDefinition<S> definition() {
			String where = this.saga.where(this);
			if (this.name == null || this.name.isBlank()) {
				throw Builder.invalid("Saga '" + this.saga.name + "' has a step without a name",
						"Name each step in .step(name)");
			}
			if (this.name.length() > MAX_STEP_NAME) {
				throw Builder.invalid(where + " has a name longer than " + MAX_STEP_NAME + " characters",
						"Shorten it: a participant keeps the step's name in its fence row");
			}
			if ((this.command == null) == (this.local == null)) {
				throw Builder.invalid(where + ((this.command == null) ? " sends no command and runs no local work"
						: " both sends a command and runs local work"),
						"Give it either .command(channel, build) or .local(work)");
			}
			if (this.command != null && blank(this.command.channel())) {
				throw Builder.invalid(where + " sends its command to no channel", "Name the participant's channel");
			}
			if (this.compensationDeclared && this.compensation == null) {
				throw Builder.invalid(where + ": its compensation names no command",
						"Give .compensation(channel, build) the function that makes the compensating command");
			}
			if (this.compensation != null && blank(this.compensation.channel())) {
				throw Builder.invalid(where + ": its compensation goes to no channel", "Name the participant's channel");
			}
			if (this.local != null && (this.reply != null || this.timeout != null || this.retry != RetryPolicy.NONE)) {
				throw Builder.invalid(where + " is local but has a reply, a timeout or a retry policy",
						"Those belong to a step that sends a command");
			}
			if (this.timeout != null && (this.timeout.isNegative() || this.timeout.isZero())) {
				throw Builder.invalid(where + " has a timeout of " + this.timeout, "Make it positive, or leave it out");
			}
			if (this.retry.maxAttempts() < 1 || this.retry.initialBackoff().isNegative()
					|| this.retry.maxBackoff().compareTo(this.retry.initialBackoff()) < 0) {
				throw Builder.invalid(where + " has the retry policy " + this.retry,
						"Send it at least once, with an initial backoff of zero or more and a maximum no smaller");
			}
			if (this.retry.maxAttempts() > 1 && this.timeout == null) {
				throw Builder.invalid(where + " is retried but has no timeout",
						"Give it .timeout(duration): a command is sent again only once its reply is overdue");
			}
			return new SagaStepDefinition<>(this.name, this.command, this.reply, this.local, this.compensation,
					this.localCompensation, this.timeout, this.retry);
		}

		private static boolean blank(@Nullable String text) {
			return text == null || text.isBlank();
		}

	}

}
