package io.dtx.saga.orchestration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.dtx.core.Backoff;
import io.dtx.outbox.Outbox;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives sagas by commands. Each transition — a start, a reply — is one local transaction
 * in the orchestrator's database: it locks the saga's row, runs what the definition says
 * next (local steps in the same transaction, each under a savepoint), writes the row back
 * and publishes the next command through the outbox, so a command goes out if and only if
 * the transition that decided it committed, and a crash at any point leaves a saga that
 * the next reply, or the redelivery of the last one, drives forward.
 */
public class SagaOrchestrator {

	/**
	 * The logging MDC key of the saga a transition or a participant's handler works for.
	 */
	public static final String MDC_KEY = "dtx.saga";

	private static final Log logger = LogFactory.getLog(SagaOrchestrator.class);

	private final SagaDefinitions definitions;

	private final SagaInstances instances;

	private final Outbox outbox;

	private final JsonMapper jsonMapper;

	private final TransactionTemplate transactions;

	private final TransactionTemplate savepoints;

	private final String replyChannel;

	private final Compensations compensations;

	private final Clock clock;

	public SagaOrchestrator(SagaDefinitions definitions, SagaInstances instances, Outbox outbox, JsonMapper jsonMapper,
			PlatformTransactionManager transactionManager, String replyChannel, Compensations compensations) {
		this.definitions = definitions;
		this.instances = instances;
		this.outbox = outbox;
		this.jsonMapper = jsonMapper;
		this.transactions = new TransactionTemplate(transactionManager);
		this.savepoints = new TransactionTemplate(transactionManager);
		this.savepoints.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.replyChannel = replyChannel;
		this.compensations = compensations;
		this.clock = instances.clock();
	}

	/**
	 * Starts the saga {@code sagaName} with {@code initialState}, in the caller's transaction
	 * where there is one (the saga starts if and only if it commits), else in one of its
	 * own; returns the saga's id. Its local steps up to the first command run here.
	 */
	public String start(String sagaName, Object initialState) {
		return start(this.definitions.get(sagaName), initialState);
	}

	private <S> String start(SagaDefinition<S> definition, Object initialState) {
		String sagaName = definition.name();
		if (!definition.stateType().isInstance(initialState)) {
			throw new IllegalArgumentException("Saga '" + sagaName + "' takes a " + definition.stateType().getName()
					+ " as its state, not a " + initialState.getClass().getName());
		}
		String sagaId = UUID.randomUUID().toString();
		try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_KEY, sagaId)) {
			this.transactions.executeWithoutResult((status) -> {
				SagaInstances.Instance instance = new SagaInstances.Instance(sagaId, sagaName, write(initialState),
						SagaStatus.RUNNING, 0, null, 0, null, null);
				this.instances.insert(instance);
				this.instances.record(sagaId, "-", "STARTED", null);
				forward(definition, instance, definition.stateType().cast(initialState));
			});
		}
		return sagaId;
	}

	/**
	 * Where the saga is, {@code null} where there is none of that id.
	 */
	public @Nullable SagaStatus status(String sagaId) {
		return this.instances.status(sagaId);
	}

	/**
	 * The saga's history, in order: what an operator reads.
	 */
	public List<String> history(String sagaId) {
		return this.instances.history(sagaId);
	}

	/**
	 * Applies a participant's reply, in the caller's transaction (its inbox entry's). A
	 * reply to any command but the one the saga waits for — a duplicate, a late one — is
	 * dropped.
	 */
	void onReply(String sagaId, String commandId, boolean success, byte[] payload) {
		try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_KEY, sagaId)) {
			reply(sagaId, commandId, success, payload);
		}
	}

	private void reply(String sagaId, String commandId, boolean success, byte[] payload) {
		SagaInstances.Instance instance = this.instances.lock(sagaId);
		if (instance == null || !commandId.equals(instance.commandId)) {
			logger.debug("Saga " + sagaId + ": reply to command " + commandId + " dropped, it waits for none such");
			return;
		}
		handle(this.definitions.get(instance.saga), instance, success, payload);
	}

	private <S> void handle(SagaDefinition<S> definition, SagaInstances.Instance instance, boolean success,
			byte[] payload) {
		S state = read(instance.state, definition.stateType());
		SagaStepDefinition<S> step = definition.steps().get(instance.step);
		if (instance.status == SagaStatus.RUNNING) {
			if (!success) {
				String error = text(payload);
				this.instances.record(instance.id, step.name(), "FAILED", error);
				instance.lastError = error;
				compensate(definition, instance, state, instance.step - 1);
				return;
			}
			SagaStepDefinition.Reply<S, ?> reply = step.reply();
			if (reply != null) {
				state = apply(reply, state, payload);
			}
			this.instances.record(instance.id, step.name(), "SUCCEEDED", null);
			instance.step++;
			forward(definition, instance, state);
		}
		else if (instance.status == SagaStatus.COMPENSATING) {
			if (!success) {
				compensationFailed(instance, step, state, text(payload));
				return;
			}
			this.instances.record(instance.id, step.name(), "COMPENSATED", null);
			compensate(definition, instance, state, instance.step - 1);
		}
	}

	// runs local steps and sends the next command, or completes the saga
	private <S> void forward(SagaDefinition<S> definition, SagaInstances.Instance instance, S state) {
		List<SagaStepDefinition<S>> steps = definition.steps();
		while (instance.step < steps.size()) {
			SagaStepDefinition<S> step = steps.get(instance.step);
			SagaStepDefinition.Command<S> command = step.command();
			if (command != null) {
				send(instance, step, command, state, "SENT", UUID.randomUUID().toString(), 1);
				return;
			}
			// a step that sends no command runs local work: the definition saw to it
			UnaryOperator<S> work = Objects.requireNonNull(step.local());
			S before = state;
			try {
				state = local(work, state);
			}
			catch (RuntimeException ex) {
				this.instances.record(instance.id, step.name(), "FAILED", ex.toString());
				instance.lastError = ex.toString();
				compensate(definition, instance, before, instance.step - 1);
				return;
			}
			this.instances.record(instance.id, step.name(), "DONE", null);
			instance.step++;
		}
		finish(instance, SagaStatus.COMPLETED, state);
	}

	// undoes the steps from {@code from} down, local ones here, remote ones by a command
	private <S> void compensate(SagaDefinition<S> definition, SagaInstances.Instance instance, S state, int from) {
		instance.status = SagaStatus.COMPENSATING;
		for (int index = from; index >= 0; index--) {
			SagaStepDefinition<S> step = definition.steps().get(index);
			instance.step = index;
			SagaStepDefinition.Command<S> compensation = step.compensation();
			if (compensation != null) {
				send(instance, step, compensation, state, "COMPENSATION_SENT", UUID.randomUUID().toString(), 1);
				return;
			}
			UnaryOperator<S> localCompensation = step.localCompensation();
			if (localCompensation != null) {
				S before = state;
				state = this.savepoints.execute((status) -> localCompensation.apply(before));
				this.instances.record(instance.id, step.name(), "COMPENSATED", null);
			}
		}
		finish(instance, SagaStatus.COMPENSATED, state);
	}

	// sends the command under its id: a command sent again keeps its id, so a participant that
	// handled it already drops it, and its reply to the first stands
	private <S> void send(SagaInstances.Instance instance, SagaStepDefinition<S> step,
			SagaStepDefinition.Command<S> command, S state, String event, String commandId, int attempts) {
		Object built = command.build().apply(state);
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(SagaHeaders.SAGA_ID, instance.id);
		headers.put(SagaHeaders.STEP, step.name());
		headers.put(SagaHeaders.COMMAND_ID, commandId);
		headers.put(SagaHeaders.COMMAND_TYPE, built.getClass().getSimpleName());
		headers.put(SagaHeaders.REPLY_TO, this.replyChannel);
		SagaStepDefinition.Command<S> undone = step.command();
		if (command == step.compensation() && undone != null) {
			headers.put(SagaHeaders.COMPENSATES, undone.channel());
		}
		// keyed by the saga: its commands and replies keep to one partition each
		// JSON whatever the command is: the outbox would send a String as it is
		this.outbox.publish(command.channel(), instance.id, this.jsonMapper.writeValueAsBytes(built), headers);
		instance.commandId = commandId;
		instance.attempts = attempts;
		instance.dueAt = replyDue(step, instance.status, attempts);
		instance.state = write(state);
		this.instances.update(instance);
		this.instances.record(instance.id, step.name(), event, built.getClass().getSimpleName() + " to "
				+ command.channel());
	}

	/**
	 * Moves a saga whose reply is overdue, or whose compensation is due to be sent again, in
	 * a transaction of its own: a forward command is sent again under its id while its step's
	 * retry policy allows, then the saga compensates, from that step on; a compensation is
	 * sent again until {@code max-attempts}, then the saga is FAILED.
	 */
	void onOverdue(String sagaId) {
		try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_KEY, sagaId)) {
			moveOverdue(sagaId);
		}
	}

	private void moveOverdue(String sagaId) {
		this.transactions.executeWithoutResult((status) -> {
			SagaInstances.Instance instance = this.instances.lock(sagaId);
			if (instance == null || instance.dueAt == null || instance.dueAt.isAfter(this.clock.instant())
					|| (instance.status != SagaStatus.RUNNING && instance.status != SagaStatus.COMPENSATING)) {
				// moved on meanwhile, by a reply or another instance
				return;
			}
			overdue(this.definitions.get(instance.saga), instance);
		});
	}

	private <S> void overdue(SagaDefinition<S> definition, SagaInstances.Instance instance) {
		S state = read(instance.state, definition.stateType());
		SagaStepDefinition<S> step = definition.steps().get(instance.step);
		if (instance.status == SagaStatus.RUNNING) {
			SagaStepDefinition.Command<S> command = Objects.requireNonNull(step.command());
			if (instance.attempts < step.retry().maxAttempts()) {
				send(instance, step, command, state, "RESENT", Objects.requireNonNull(instance.commandId),
						instance.attempts + 1);
				return;
			}
			String error = "no reply within " + step.timeout() + ", " + instance.attempts + " sends";
			this.instances.record(instance.id, step.name(), "TIMED_OUT", error);
			instance.lastError = error;
			// it may have been applied, its reply lost: undone too, which a fenced handler makes safe
			compensate(definition, instance, state, instance.step);
			return;
		}
		SagaStepDefinition.Command<S> compensation = Objects.requireNonNull(step.compensation());
		if (instance.commandId == null) {
			// refused before: a new command, after the backoff
			send(instance, step, compensation, state, "COMPENSATION_RESENT", UUID.randomUUID().toString(),
					instance.attempts + 1);
		}
		else if (instance.attempts < this.compensations.maxAttempts()) {
			send(instance, step, compensation, state, "COMPENSATION_RESENT", instance.commandId, instance.attempts + 1);
		}
		else {
			fail(instance, step, state, "no reply to its compensation within " + step.timeout() + ", "
					+ instance.attempts + " sends");
		}
	}

	private <S> void compensationFailed(SagaInstances.Instance instance, SagaStepDefinition<S> step, S state,
			String error) {
		if (instance.attempts >= this.compensations.maxAttempts()) {
			fail(instance, step, state, error);
			return;
		}
		this.instances.record(instance.id, step.name(), "COMPENSATION_REFUSED", error);
		instance.commandId = null;
		instance.dueAt = this.clock.instant().plus(this.compensations.backoff().delay(instance.attempts - 1));
		instance.lastError = error;
		instance.state = write(state);
		this.instances.update(instance);
	}

	private <S> void fail(SagaInstances.Instance instance, SagaStepDefinition<S> step, S state, String error) {
		this.instances.record(instance.id, step.name(), "COMPENSATION_FAILED", error);
		logger.error("Saga " + instance.id + " (" + instance.saga + "): the compensation of step " + step.name()
				+ " failed " + instance.attempts + " times; the saga is FAILED until an operator retries it: " + error);
		instance.status = SagaStatus.FAILED;
		instance.commandId = null;
		instance.dueAt = null;
		instance.lastError = error;
		instance.state = write(state);
		this.instances.update(instance);
	}

	/**
	 * Starts a FAILED saga's compensation again, with a new round of attempts, from the step
	 * it failed at; false where the saga is not FAILED.
	 */
	public boolean retry(String sagaId) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			SagaInstances.Instance instance = this.instances.lock(sagaId);
			if (instance == null || instance.status != SagaStatus.FAILED) {
				return false;
			}
			instance.status = SagaStatus.COMPENSATING;
			instance.attempts = 0;
			instance.commandId = null;
			instance.dueAt = this.clock.instant();
			this.instances.update(instance);
			this.instances.record(sagaId, "-", "RETRIED", null);
			return true;
		}));
	}

	/**
	 * The FAILED sagas, longest failed first, at most {@code limit}: what an operator retries
	 * or abandons.
	 */
	public List<ParkedSaga> failed(int limit) {
		return this.instances.failed(limit)
			.stream()
			.map((failed) -> new ParkedSaga(failed.id(), failed.saga(),
					this.definitions.get(failed.saga()).steps().get(failed.step()).name(), failed.lastError(),
					failed.failedAt()))
			.toList();
	}

	/**
	 * How many sagas are FAILED.
	 */
	public long failedCount() {
		return this.instances.failedCount();
	}

	/**
	 * Gives a saga up: nothing more runs for it, and a reply to it is dropped. It is told
	 * apart from a saga that failed; what its steps did stays as it is. False where the saga
	 * has finished already.
	 */
	public boolean abandon(String sagaId) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			SagaInstances.Instance instance = this.instances.lock(sagaId);
			if (instance == null || instance.status.finished()) {
				return false;
			}
			instance.status = SagaStatus.ABANDONED;
			instance.commandId = null;
			instance.dueAt = null;
			this.instances.update(instance);
			this.instances.record(sagaId, "-", "ABANDONED", null);
			return true;
		}));
	}

	/**
	 * The sagas whose reply is overdue, or whose compensation is due again, at most
	 * {@code limit}.
	 */
	List<String> overdue(int limit) {
		return this.instances.overdue(this.clock.instant(), limit);
	}

	// a command waits its step's timeout, longer at each send again by the step's retry backoff
	// (a forward command) or the compensations' (a compensation), so that a participant slower
	// than the timeout is not taken for one that fails; without a timeout, as long as it takes
	private <S> @Nullable Instant replyDue(SagaStepDefinition<S> step, SagaStatus status, int attempts) {
		Duration timeout = step.timeout();
		if (timeout == null) {
			return null;
		}
		Backoff backoff = (status == SagaStatus.RUNNING)
				? new Backoff(step.retry().initialBackoff(), step.retry().maxBackoff()) : this.compensations.backoff();
		Duration grace = (attempts > 1) ? backoff.delay(attempts - 2) : Duration.ZERO;
		return this.clock.instant().plus(timeout).plus(grace);
	}

	private void finish(SagaInstances.Instance instance, SagaStatus status, Object state) {
		instance.status = status;
		instance.commandId = null;
		instance.dueAt = null;
		instance.state = write(state);
		this.instances.update(instance);
		this.instances.record(instance.id, "-", status.name(), null);
	}

	// under a savepoint: a local step that throws leaves nothing behind, and the saga compensates
	private <S> S local(UnaryOperator<S> work, S state) {
		return this.savepoints.execute((status) -> work.apply(state));
	}

	private <S, R> S apply(SagaStepDefinition.Reply<S, R> reply, S state, byte[] payload) {
		R received = this.jsonMapper.readValue(payload, reply.type());
		return reply.apply().apply(state, received);
	}

	private String write(Object state) {
		return this.jsonMapper.writeValueAsString(state);
	}

	private <S> S read(String state, Class<S> type) {
		return this.jsonMapper.readValue(state, type);
	}

	private String text(byte[] payload) {
		String text = this.jsonMapper.readValue(payload, String.class);
		return (text != null) ? text : "";
	}

	/**
	 * How a refused or unanswered compensation is sent again before the saga is FAILED.
	 *
	 * @param maxAttempts sends of a compensation in all, the first included
	 * @param backoff the wait before a refused compensation is sent again, doubling
	 */
	public record Compensations(int maxAttempts, Backoff backoff) {

	}

}
