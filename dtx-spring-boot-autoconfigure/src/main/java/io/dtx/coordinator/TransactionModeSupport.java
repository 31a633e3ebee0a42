package io.dtx.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.Participant;
import io.dtx.fence.BranchFence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every mode's front class coordinates with, and the steps they all take the same
 * way: beginning a transaction, moving its row from one state to the next, closing a
 * branch a caller opened here to late first phases, and telling the services a
 * transaction called how it ended.
 */
public final class TransactionModeSupport {

	private static final Log logger = LogFactory.getLog(TransactionModeSupport.class);

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final ParticipantCalls participants;

	private final CoordinatorTransactions transactions;

	private final TransactionObserver observer;

	private final Duration recoveryGrace;

	/**
	 * @param recoveryGrace how long recovery leaves a decided transaction to the thread
	 * that runs its phase two
	 */
	public TransactionModeSupport(GlobalTransactionLog log, BranchFence fence, ParticipantCalls participants,
			CoordinatorTransactions transactions, TransactionObserver observer, Duration recoveryGrace) {
		this.log = log;
		this.fence = fence;
		this.participants = participants;
		this.transactions = transactions;
		this.observer = observer;
		this.recoveryGrace = recoveryGrace;
	}

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
	 * Closes a branch a caller opened here to first phases that arrive late, before its
	 * phase two runs.
	 */
	public void closeRemoteBranch(String xid, String branchId, boolean confirm) {
		this.transactions.execute((status) -> {
			this.fence.enterRemotePhaseTwo(xid, branchId, confirm);
			return null;
		});
	}

	/**
	 * Confirms or cancels the branches opened in the services called; throws when any did
	 * not answer.
	 */
	public void completeParticipants(String xid, String mode, List<Participant> called, boolean confirm) {
		this.participants.complete(xid, mode, called, confirm);
	}

	/**
	 * The services called directly under {@code parentBranch} not yet completed, with
	 * the time each was called.
	 */
	public List<ParticipantLog.Call> pendingCalls(String xid, @Nullable String parentBranch) {
		return this.participants.pending(xid, parentBranch);
	}

	/**
	 * The services called directly under {@code parentBranch} not yet completed.
	 */
	public List<Participant> pendingParticipants(String xid, @Nullable String parentBranch) {
		return pendingCalls(xid, parentBranch).stream().map(ParticipantLog.Call::participant).toList();
	}

	public Instant now() {
		return this.log.clock().instant();
	}

	public GlobalTransactionLog log() {
		return this.log;
	}

	public BranchFence fence() {
		return this.fence;
	}

	public CoordinatorTransactions transactions() {
		return this.transactions;
	}

}
