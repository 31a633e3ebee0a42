package io.dtx.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dtx.core.ArgumentCodec;
import io.dtx.core.Backoff;
import io.dtx.core.BranchFence;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionCoordinator;
import io.dtx.core.GlobalTransactionDriver;
import io.dtx.core.GlobalTransactionLog;
import io.dtx.core.ParticipantCalls;
import io.dtx.core.ParticipantLog;
import io.dtx.core.RemoteBranchHandler;
import io.dtx.core.TransactionMode;
import io.dtx.core.TransactionObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Begins sagas, closes those whose method returned, and compensates the others: the
 * committed steps in reverse order, each compensation in a local transaction of its own
 * with its fence update. A compensation that fails is retried by recovery with
 * exponential backoff until it succeeds or its attempts run out; the saga is then
 * {@link GlobalState#FAILED} until retried through {@link Sagas}.
 */
public class SagaCoordinator implements GlobalTransactionCoordinator, GlobalTransactionDriver, RemoteBranchHandler {

	private static final Log logger = LogFactory.getLog(SagaCoordinator.class);

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final ParticipantCalls participants;

	private final SagaStepRegistry steps;

	private final ArgumentCodec codec;

	private final TransactionTemplate ownTransaction;

	private final Duration recoveryGrace;

	private final Compensation compensation;

	private TransactionObserver observer = TransactionObserver.NONE;

	/**
	 * @param recoveryGrace how long recovery leaves a saga whose compensation its thread
	 * is running alone
	 */
	public SagaCoordinator(GlobalTransactionLog log, BranchFence fence, ParticipantCalls participants,
			SagaStepRegistry steps, ArgumentCodec codec, PlatformTransactionManager transactionManager,
			Duration recoveryGrace, Compensation compensation) {
		this.log = log;
		this.fence = fence;
		this.participants = participants;
		this.steps = steps;
		this.codec = codec;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.recoveryGrace = recoveryGrace;
		this.compensation = compensation;
	}

	public void setObserver(TransactionObserver observer) {
		this.observer = observer;
	}

	@Override
	public TransactionMode mode() {
		return TransactionMode.SAGA;
	}

	@Override
	public Backoff backoff() {
		return this.compensation.backoff();
	}

	@Override
	public GlobalTransaction begin(String name, Duration timeout) {
		// its row is written by the first step that commits, in the step's own local transaction
		GlobalTransaction saga = new GlobalTransaction(GlobalTransaction.newXid(), TransactionMode.SAGA, name,
				now().plus(timeout));
		this.observer.started(saga);
		if (logger.isDebugEnabled()) {
			logger.debug("[" + saga.xid() + "] began " + saga);
		}
		return saga;
	}

	/**
	 * The saga's method returned: its steps are committed already, so the saga is only
	 * marked finished (its row and its steps' fence rows, in one local transaction), and
	 * the services it called are told, so that they close their steps too.
	 */
	@Override
	public void commit(GlobalTransaction saga) {
		if (!saga.isRecorded()) {
			this.observer.finished(saga, TransactionObserver.Outcome.CONFIRMED, saga.age());
			return;
		}
		String xid = saga.xid();
		if (now().isAfter(saga.deadline())) {
			compensateInstead(saga, "passed its deadline " + saga.deadline());
		}
		List<ParticipantLog.Participant> called = saga.participants();
		GlobalState decided = called.isEmpty() ? GlobalState.CONFIRMED : GlobalState.CONFIRMING;
		Boolean finished = this.ownTransaction.execute((status) -> {
			if (!this.log.decide(xid, GlobalState.TRYING, decided, now().plus(this.recoveryGrace))) {
				return false;
			}
			this.fence.confirmOwnBranches(xid);
			return true;
		});
		if (!Boolean.TRUE.equals(finished)) {
			compensateInstead(saga, "was being compensated by recovery");
		}
		this.observer.finished(saga, TransactionObserver.Outcome.CONFIRMED, saga.age());
		if (!called.isEmpty()) {
			try {
				this.participants.complete(xid, TransactionMode.SAGA, called, true);
				decide(xid, GlobalState.CONFIRMING, GlobalState.CONFIRMED);
			}
			catch (RuntimeException ex) {
				logger.warn("[" + xid + "] saga finished, but telling the services it called failed; recovery "
						+ "tells them later: " + ex);
			}
		}
	}

	private void compensateInstead(GlobalTransaction saga, String reason) {
		rollback(saga);
		throw new SagaTimeoutException("Saga " + saga.name() + " [" + saga.xid() + "] " + reason
				+ " before it could finish; every step that committed was compensated");
	}

	/**
	 * The saga's method threw: compensates the committed steps in reverse order from
	 * what this thread knows; a failure is left to recovery, with backoff.
	 */
	@Override
	public void rollback(GlobalTransaction saga) {
		if (!saga.isRecorded()) {
			this.observer.finished(saga, TransactionObserver.Outcome.CANCELLED, saga.age());
			return;
		}
		String xid = saga.xid();
		if (!decide(xid, GlobalState.TRYING, GlobalState.CANCELLING) && logger.isDebugEnabled()) {
			logger.debug("[" + xid + "] was already being compensated; compensating again is harmless");
		}
		try {
			compensateInMemory(saga);
			decide(xid, GlobalState.CANCELLING, GlobalState.CANCELLED);
			this.observer.finished(saga, TransactionObserver.Outcome.CANCELLED, saga.age());
		}
		catch (RuntimeException ex) {
			this.observer.finished(saga, TransactionObserver.Outcome.FAILED, saga.age());
			failedAttempt(new GlobalTransactionLog.Entry(xid, TransactionMode.SAGA, saga.name(),
					GlobalState.CANCELLING, saga.deadline(), 0), ex);
		}
	}

	// reverse order of the steps and calls as this thread made them
	private void compensateInMemory(GlobalTransaction saga) {
		Map<String, GlobalTransaction.LocalBranch> local = new HashMap<>();
		saga.branches().forEach((branch) -> local.put(branch.branchId(), branch));
		Map<String, ParticipantLog.Participant> remote = new HashMap<>();
		saga.participants().forEach((participant) -> remote.put(participant.branchId(), participant));
		List<String> order = saga.branchOrder();
		for (int i = order.size() - 1; i >= 0; i--) {
			GlobalTransaction.LocalBranch step = local.get(order.get(i));
			if (step != null) {
				compensateStep(saga.xid(), step.branchId(), action(step.action()), step.arguments(), step.result());
			}
			else {
				this.participants.complete(saga.xid(), TransactionMode.SAGA, List.of(remote.get(order.get(i))),
						false);
			}
		}
	}

	// reverse order of what the fence and the participant log recorded
	private void compensateFromFence(String xid, @Nullable String parentBranch) {
		List<Undo> undos = new ArrayList<>();
		for (BranchFence.TriedBranch step : this.fence.tried(xid, parentBranch)) {
			undos.add(new Undo(step.triedAt(), step.branchId(), () -> {
				SagaStepAction action = action(step.action());
				Object[] arguments = this.codec.decode(step.arguments(), action.stepMethod(),
						action.stepMethod().getParameterCount());
				Object result = action.takesResult() ? this.codec.decodeValue(step.result(), action.resultType())
						: null;
				compensateStep(xid, step.branchId(), action, arguments, result);
			}));
		}
		for (ParticipantLog.Call call : this.participants.pending(xid, parentBranch)) {
			undos.add(new Undo(call.calledAt(), call.participant().branchId(), () -> this.participants.complete(xid,
					TransactionMode.SAGA, List.of(call.participant()), false)));
		}
		undos.sort(Comparator.comparing(Undo::at).thenComparing(Undo::branchId).reversed());
		undos.forEach((undo) -> undo.run().run());
	}

	private record Undo(Instant at, String branchId, Runnable run) {

	}

	// the fence update and the compensation in one local transaction of their own
	private void compensateStep(String xid, String branchId, SagaStepAction action, Object[] arguments,
			@Nullable Object result) {
		this.ownTransaction.executeWithoutResult((status) -> {
			if (this.fence.enterCancel(xid, branchId, action.key()) == BranchFence.CancelOutcome.RUN) {
				action.compensate(this.steps.bean(action), arguments, result);
			}
		});
	}

	@Override
	public void complete(GlobalTransactionLog.Entry entry) {
		String xid = entry.xid();
		GlobalState state = entry.state();
		if (state == GlobalState.CONFIRMING) {
			this.participants.complete(xid, TransactionMode.SAGA,
					this.participants.pending(xid, null).stream().map(ParticipantLog.Call::participant).toList(), true);
			decide(xid, GlobalState.CONFIRMING, GlobalState.CONFIRMED);
			return;
		}
		if (state == GlobalState.TRYING) {
			// past its deadline and never finished: compensate
			if (!decide(xid, GlobalState.TRYING, GlobalState.CANCELLING)) {
				return;
			}
		}
		try {
			compensateFromFence(xid, null);
		}
		catch (RuntimeException ex) {
			if (giveUp(entry.attempts() + 1)) {
				fail(entry, ex);
				return;
			}
			throw ex;
		}
		decide(xid, GlobalState.CANCELLING, GlobalState.CANCELLED);
		logger.info("[" + xid + "] recovered saga " + entry.name() + ": compensated");
	}

	/**
	 * Closes the branch to late steps, then closes or compensates the steps run here
	 * under it and forwards the decision to the services this one called under it.
	 */
	@Override
	public void completeRemoteBranch(String xid, String branchId, boolean confirm) {
		this.ownTransaction.executeWithoutResult((status) -> this.fence.enterRemotePhaseTwo(xid, branchId, confirm));
		if (!confirm) {
			compensateFromFence(xid, branchId);
			return;
		}
		this.ownTransaction.executeWithoutResult((status) -> this.fence.tried(xid, branchId)
			.forEach((step) -> this.fence.enterConfirm(xid, step.branchId())));
		this.participants.complete(xid, TransactionMode.SAGA,
				this.participants.pending(xid, branchId).stream().map(ParticipantLog.Call::participant).toList(), true);
	}

	/**
	 * Moves a {@link GlobalState#FAILED} saga back to compensation and tries once more
	 * at once; recovery goes on from there. Returns the saga's state afterwards.
	 */
	@Nullable GlobalState retry(String xid) {
		if (this.log.restate(xid, GlobalState.FAILED, GlobalState.CANCELLING, 0)) {
			GlobalTransactionLog.Entry entry = this.log.entry(xid);
			if (entry != null) {
				try {
					complete(entry);
				}
				catch (RuntimeException ex) {
					failedAttempt(entry, ex);
				}
			}
		}
		return this.log.state(xid);
	}

	// a failed attempt outside recovery: recovery makes the next one, unless this was the last
	private void failedAttempt(GlobalTransactionLog.Entry entry, RuntimeException ex) {
		if (giveUp(entry.attempts() + 1)) {
			fail(entry, ex);
			return;
		}
		Instant next = now().plus(this.compensation.backoff().delay(entry.attempts()));
		this.log.retryLater(entry, "", next);
		logger.warn("[" + entry.xid() + "] compensating saga " + entry.name() + " failed; recovery retries at "
				+ next + ": " + ex, ex);
	}

	private boolean giveUp(int attempts) {
		return attempts >= this.compensation.maxAttempts();
	}

	private void fail(GlobalTransactionLog.Entry entry, RuntimeException ex) {
		this.ownTransaction.executeWithoutResult((status) -> this.log.restate(entry.xid(), GlobalState.CANCELLING,
				GlobalState.FAILED, entry.attempts() + 1));
		logger.error("[" + entry.xid() + "] compensating saga " + entry.name() + " failed " + (entry.attempts() + 1)
				+ " times; it is FAILED until retried through Sagas#retry: " + ex, ex);
	}

	private boolean decide(String xid, GlobalState from, GlobalState to) {
		Instant recoverAfter = now().plus(this.recoveryGrace);
		Boolean decided = this.ownTransaction.execute((status) -> this.log.decide(xid, from, to, recoverAfter));
		return Boolean.TRUE.equals(decided);
	}

	private SagaStepAction action(String key) {
		SagaStepAction action = this.steps.forKey(key);
		if (action == null) {
			throw new IllegalStateException("No saga step " + key + " in this application");
		}
		return action;
	}

	private Instant now() {
		return this.log.clock().instant();
	}

	/**
	 * How compensations are retried.
	 *
	 * @param maxAttempts attempts before the saga is marked {@link GlobalState#FAILED}
	 * @param backoff delays between attempts
	 */
	public record Compensation(int maxAttempts, Backoff backoff) {

	}

}
