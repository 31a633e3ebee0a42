package io.dtx.tcc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

import io.dtx.core.ArgumentCodec;
import io.dtx.core.BranchContext;
import io.dtx.core.BranchFence;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionCoordinator;
import io.dtx.core.GlobalTransactionDriver;
import io.dtx.core.GlobalTransactionLog;
import io.dtx.core.ParticipantCalls;
import io.dtx.core.ParticipantClient;
import io.dtx.core.ParticipantLog;
import io.dtx.core.RemoteBranchHandler;
import io.dtx.core.TransactionMode;
import io.dtx.core.TransactionObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Begins TCC transactions, decides them, and runs phase two on their branches: right
 * after the decision for the thread that ran them, and from the log and the fence for
 * recovery. The decision is durable before phase two starts; a phase two that fails
 * half-way is left to recovery, which finishes it.
 */
public class TccCoordinator implements GlobalTransactionCoordinator, GlobalTransactionDriver, RemoteBranchHandler {

	private static final Log logger = LogFactory.getLog(TccCoordinator.class);

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final ParticipantLog participants;

	private final ParticipantCalls participantCalls;

	private final TccActionRegistry actions;

	private final ArgumentCodec codec;

	private final TransactionTemplate ownTransaction;

	private final Duration phaseTwoGrace;

	private final @Nullable Executor asyncPhaseTwo;

	private TransactionObserver observer = TransactionObserver.NONE;

	public TccCoordinator(GlobalTransactionLog log, BranchFence fence, ParticipantLog participants,
			ObjectProvider<ParticipantClient> participantClient, TccActionRegistry actions, ArgumentCodec codec,
			PlatformTransactionManager transactionManager, Duration phaseTwoGrace, @Nullable Executor asyncPhaseTwo) {
		this.log = log;
		this.fence = fence;
		this.participants = participants;
		this.participantCalls = new ParticipantCalls(participants, participantClient);
		this.actions = actions;
		this.codec = codec;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.phaseTwoGrace = phaseTwoGrace;
		this.asyncPhaseTwo = asyncPhaseTwo;
	}

	public void setObserver(TransactionObserver observer) {
		this.observer = observer;
	}

	@Override
	public TransactionMode mode() {
		return TransactionMode.TCC;
	}

	@Override
	public GlobalTransaction begin(String name, Duration timeout) {
		// its row is written by the first branch that commits (TccTryInterceptor), or before
		// the first call to another service: one local transaction less per transaction
		GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), TransactionMode.TCC, name,
				now().plus(timeout));
		this.observer.started(transaction);
		if (logger.isDebugEnabled()) {
			logger.debug("[" + transaction.xid() + "] began " + transaction);
		}
		return transaction;
	}

	@Override
	public void commit(GlobalTransaction transaction) {
		confirm(transaction);
	}

	@Override
	public void rollback(GlobalTransaction transaction) {
		cancel(transaction);
	}

	/**
	 * Confirms a transaction whose method returned, unless it passed its deadline or was
	 * cancelled meanwhile: then it is cancelled and a {@link TccTimeoutException} thrown.
	 */
	void confirm(GlobalTransaction transaction) {
		if (!transaction.isRecorded()) {
			// no branch committed and no service was called: nothing to confirm
			this.observer.finished(transaction, TransactionObserver.Outcome.CONFIRMED, transaction.age());
			return;
		}
		if (now().isAfter(transaction.deadline())) {
			cancelInstead(transaction, "passed its deadline " + transaction.deadline());
		}
		OneStep oneStep = completeInOneStep(transaction, true);
		if (oneStep == OneStep.DONE) {
			return;
		}
		if (oneStep == OneStep.DECIDED_ELSEWHERE
				|| !decide(transaction.xid(), GlobalState.TRYING, GlobalState.CONFIRMING)) {
			cancelInstead(transaction, "was cancelled by recovery");
		}
		phaseTwo(transaction, true);
	}

	private void cancelInstead(GlobalTransaction transaction, String reason) {
		cancel(transaction);
		throw new TccTimeoutException("TCC transaction " + transaction.name() + " [" + transaction.xid() + "] "
				+ reason + " before it could be confirmed; every branch was cancelled");
	}

	/**
	 * Cancels a transaction whose method threw; the caller rethrows the original exception.
	 */
	void cancel(GlobalTransaction transaction) {
		if (!transaction.isRecorded()) {
			// no branch committed and no service was called: nothing to cancel
			this.observer.finished(transaction, TransactionObserver.Outcome.CANCELLED, transaction.age());
			return;
		}
		if (completeInOneStep(transaction, false) == OneStep.DONE) {
			return;
		}
		if (!decide(transaction.xid(), GlobalState.TRYING, GlobalState.CANCELLING) && logger.isDebugEnabled()) {
			logger.debug("[" + transaction.xid() + "] was already decided; cancelling its branches again is harmless");
		}
		phaseTwo(transaction, false);
	}

	/**
	 * Where every branch is local and phase two is synchronous, decides and completes all
	 * branches in one local transaction, so that the decision and its effects commit
	 * together. When a branch fails, everything rolls back, the decision included, and the
	 * step-by-step path takes over.
	 */
	private OneStep completeInOneStep(GlobalTransaction transaction, boolean confirm) {
		if (this.asyncPhaseTwo != null || !transaction.participants().isEmpty()) {
			return OneStep.NOT_DONE;
		}
		String xid = transaction.xid();
		GlobalState decided = confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED;
		try {
			Boolean done = this.ownTransaction.execute((status) -> {
				if (!this.log.decide(xid, GlobalState.TRYING, decided, now().plus(this.phaseTwoGrace))) {
					return false;
				}
				completeLocalBranches(transaction, confirm, false);
				return true;
			});
			if (!Boolean.TRUE.equals(done)) {
				return OneStep.DECIDED_ELSEWHERE;
			}
			this.observer.finished(transaction,
					confirm ? TransactionObserver.Outcome.CONFIRMED : TransactionObserver.Outcome.CANCELLED,
					transaction.age());
			return OneStep.DONE;
		}
		catch (RuntimeException ex) {
			logger.debug("[" + xid + "] " + (confirm ? "confirm" : "cancel") + " in one step failed, going step by "
					+ "step: " + ex);
			return OneStep.NOT_DONE;
		}
	}

	private enum OneStep {

		/** Decided and every branch completed. */
		DONE,

		/** Not undecided any more: recovery decided it first. */
		DECIDED_ELSEWHERE,

		/** Not done: the one-step path does not apply, or a branch failed. */
		NOT_DONE

	}

	// the decision is durable: phase two may run off the caller's thread, recovery backs it up
	private void phaseTwo(GlobalTransaction transaction, boolean confirm) {
		Runnable phaseTwo = () -> completeBranches(transaction, confirm);
		if (this.asyncPhaseTwo != null) {
			this.asyncPhaseTwo.execute(phaseTwo);
		}
		else {
			phaseTwo.run();
		}
	}

	private void completeBranches(GlobalTransaction transaction, boolean confirm) {
		try {
			completeLocalBranches(transaction, confirm, true);
			completeParticipants(transaction.xid(), transaction.participants(), confirm);
			decide(transaction.xid(), confirm ? GlobalState.CONFIRMING : GlobalState.CANCELLING,
					confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
			this.observer.finished(transaction, confirm ? TransactionObserver.Outcome.CONFIRMED
					: TransactionObserver.Outcome.CANCELLED, transaction.age());
		}
		catch (RuntimeException ex) {
			this.observer.finished(transaction, TransactionObserver.Outcome.FAILED, transaction.age());
			logger.warn("[" + transaction.xid() + "] " + (confirm ? "confirm" : "cancel")
					+ " failed, recovery will retry it: " + ex, ex);
		}
	}

	@Override
	public void complete(GlobalTransactionLog.Entry entry) {
		GlobalState state = entry.state();
		if (state == GlobalState.TRYING) {
			// past its deadline and never decided: presumed abort
			if (!decide(entry.xid(), GlobalState.TRYING, GlobalState.CANCELLING)) {
				return;
			}
			state = GlobalState.CANCELLING;
		}
		boolean confirm = state == GlobalState.CONFIRMING;
		completeFromFence(entry.xid(), null, confirm);
		decide(entry.xid(), state, confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
		logger.info("[" + entry.xid() + "] recovered " + entry.mode() + " " + entry.name() + ": " + state);
	}

	/**
	 * Closes the branch to late tries, completes the local branches run under it and
	 * forwards the decision to the services this one called under it.
	 */
	@Override
	public void completeRemoteBranch(String xid, String branchId, boolean confirm) {
		this.ownTransaction.executeWithoutResult((status) -> this.fence.enterRemotePhaseTwo(xid, branchId, confirm));
		completeFromFence(xid, branchId, confirm);
	}

	// what recovery and a callee's phase two know: the fence rows and the participant log
	private void completeFromFence(String xid, @Nullable String parentBranch, boolean confirm) {
		for (BranchFence.TriedBranch branch : this.fence.tried(xid, parentBranch)) {
			TccAction action = action(branch.action());
			Object[] arguments = this.codec.decode(branch.arguments(), action.tryMethod(), action.argumentCount());
			completeBranch(xid, branch.branchId(), action, arguments, confirm, true);
		}
		completeParticipants(xid, this.participants.pending(xid, parentBranch), confirm);
	}

	private void completeParticipants(String xid, List<ParticipantLog.Participant> called, boolean confirm) {
		this.participantCalls.complete(xid, TransactionMode.TCC, called, confirm);
	}

	// confirmed in the order tried, cancelled in reverse
	private void completeLocalBranches(GlobalTransaction transaction, boolean confirm, boolean ownTransactions) {
		List<GlobalTransaction.LocalBranch> branches = transaction.branches();
		for (int i = 0; i < branches.size(); i++) {
			GlobalTransaction.LocalBranch branch = branches.get(confirm ? i : branches.size() - 1 - i);
			completeBranch(transaction.xid(), branch.branchId(), action(branch.action()), branch.arguments(), confirm,
					ownTransactions);
		}
	}

	// the fence update and the business change in one local transaction: the caller's, or one of their own
	private void completeBranch(String xid, String branchId, TccAction action, Object[] arguments, boolean confirm,
			boolean ownTransaction) {
		if (ownTransaction) {
			this.ownTransaction.executeWithoutResult(
					(status) -> completeBranch(xid, branchId, action, arguments, confirm, false));
			return;
		}
		BranchContext context = new BranchContext(xid, branchId, action.key());
		Object bean = this.actions.bean(action);
		if (confirm) {
			if (this.fence.enterConfirm(xid, branchId)) {
				action.confirm(bean, arguments, context);
			}
		}
		else if (this.fence.enterCancel(xid, branchId, action.key()) == BranchFence.CancelOutcome.RUN) {
			action.cancel(bean, arguments, context);
		}
	}

	private boolean decide(String xid, GlobalState from, GlobalState to) {
		Instant recoverAfter = now().plus(this.phaseTwoGrace);
		Boolean decided = this.ownTransaction.execute((status) -> this.log.decide(xid, from, to, recoverAfter));
		return Boolean.TRUE.equals(decided);
	}

	private TccAction action(String key) {
		TccAction action = this.actions.forKey(key);
		if (action == null) {
			throw new IllegalStateException("No TCC action " + key + " in this application");
		}
		return action;
	}

	private Instant now() {
		return this.log.clock().instant();
	}

}
