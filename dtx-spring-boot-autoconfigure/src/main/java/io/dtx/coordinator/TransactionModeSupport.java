package io.dtx.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.Participant;
import io.dtx.fence.BranchFence;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every mode's front class coordinates with, and the steps they all take the same
 * way: beginning a transaction, moving its row from one state to the next, and its
 * {@link PhaseTwo}.
 *
 * @param log the coordinator log
 * @param fence the branch fence
 * @param participants the calls to the services a transaction called
 * @param transactions dtx's own local transactions, retried and followed up
 * @param observer told when a transaction starts and ends
 * @param recoveryGrace how long recovery leaves a decided transaction to the thread that
 * runs its phase two
 * @param observations where its transactions, branches and phase two are observed
 */
public record TransactionModeSupport(GlobalTransactionLog log, BranchFence fence, ParticipantCalls participants,
		CoordinatorTransactions transactions, TransactionObserver observer, Duration recoveryGrace,
		ObservationRegistry observations) {

	private static final Log logger = LogFactory.getLog(TransactionModeSupport.class);

	/**
	 * A new transaction of the mode, not yet bound to the thread nor written: its row is
	 * written by the first branch that commits, or before the first call to another
	 * service, which saves a local transaction per transaction.
	 */
	public GlobalTransaction begin(String mode, String name, Duration timeout) {
		GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), mode, name,
				now().plus(timeout));
		this.observer.started(transaction);
		if (logger.isDebugEnabled()) {
			logger.debug("[" + transaction.xid() + "] began " + transaction);
		}
		return transaction;
	}

	/**
	 * Tells the observer how the transaction ended.
	 */
	public void finished(GlobalTransaction transaction, TransactionObserver.Outcome outcome) {
		this.observer.finished(transaction, outcome, transaction.age());
	}

	/**
	 * Moves the transaction's row from one state to another in a local transaction of
	 * its own; false where it was not in {@code from}.
	 */
	public boolean decide(String xid, GlobalState from, GlobalState to) {
		Instant recoverAfter = recoverAfter();
		Boolean decided = this.transactions.execute((status) -> this.log.decide(xid, from, to, recoverAfter));
		return Boolean.TRUE.equals(decided);
	}

	/**
	 * When recovery may take over a transaction decided now.
	 */
	public Instant recoverAfter() {
		return now().plus(this.recoveryGrace);
	}

	/**
	 * The phase two of a mode, which completes its local branches in {@code order}
	 * through {@code action}, reading those it completes from the fence with
	 * {@code decode}.
	 */
	public PhaseTwo phaseTwo(String mode, PhaseTwo.Order order, PhaseTwo.BranchAction action,
			Function<BranchFence.TriedBranch, PhaseTwo.Branch> decode) {
		return new PhaseTwo(mode, order, action, decode, this);
	}

	/**
	 * Confirms or cancels the branches opened in the services called, without touching
	 * the local branches (for a mode whose decision completed those already); throws
	 * when any did not answer.
	 */
	public void completeParticipants(String xid, String mode, List<Participant> called, boolean confirm) {
		this.participants.complete(xid, mode, called, confirm);
	}

	/**
	 * Confirms or cancels, from the participant log, the branches opened in the services
	 * called directly under {@code parentBranch} ({@code null} for the transaction's own
	 * calls) and not completed yet: for a mode whose local branches have no fence rows for
	 * {@link PhaseTwo} to read. Throws when any did not answer.
	 */
	public void completeRecordedParticipants(String xid, @Nullable String parentBranch, String mode,
			boolean confirm) {
		this.participants.complete(xid, mode,
				this.participants.pending(xid, parentBranch).stream().map(ParticipantLog.Call::participant).toList(),
				confirm);
	}

	public Instant now() {
		return this.log.clock().instant();
	}

}
