package io.dtx.xa;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.coordinator.TransactionObserver;
import io.dtx.core.DtxObservations;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.OutcomeUnknownException;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Two-phase commit across services, with each service's database as a resource manager:
 * by the time an {@link XaGlobalTransaction} method returns, every {@link XaBranch} it ran
 * here is prepared, and every service it called has prepared its own, or the call would
 * have failed. The decision is logged before phase two, which commits or rolls back the
 * prepared transactions here and tells the services called, retried until done; recovery
 * finishes what a crash interrupts, finding this service's prepared branches in the
 * database's own list. An undecided transaction past its deadline is rolled back.
 */
public class XaCoordinator implements TransactionMode {

	/**
	 * The name its transactions are stored and sent under.
	 */
	public static final String MODE = "XA";

	private static final Log logger = LogFactory.getLog(XaCoordinator.class);

	private final TransactionModeSupport support;

	private final PreparedBranches branches;

	public XaCoordinator(TransactionModeSupport support, PreparedBranches branches) {
		this.support = support;
		this.branches = branches;
	}

	@Override
	public String name() {
		return MODE;
	}

	@Override
	public ObservationRegistry observations() {
		return this.support.observations();
	}

	@Override
	public GlobalTransaction begin(String name, Duration timeout) {
		return this.support.begin(MODE, name, timeout);
	}

	/**
	 * Commits a transaction whose method returned, unless it passed its deadline or was
	 * rolled back by recovery meanwhile: then it is rolled back and an
	 * {@link XaTimeoutException} thrown. Nothing is concluded from a failed write: the
	 * log's row is read back, and what it holds is what the caller hears; where it cannot
	 * be read before the deadline, the caller hears {@link OutcomeUnknownException}.
	 */
	@Override
	public void commit(GlobalTransaction transaction) {
		if (!transaction.isRecorded()) {
			// no branch ran and no service was called: nothing to commit
			this.support.finished(transaction, TransactionObserver.Outcome.CONFIRMED);
			return;
		}
		if (now().isAfter(transaction.deadline())) {
			rollbackInstead(transaction, "passed its deadline " + transaction.deadline());
		}
		GlobalState decided = decideOrFollowUp(transaction, true, transaction.deadline());
		switch (decided) {
			case CONFIRMED -> this.support.finished(transaction, TransactionObserver.Outcome.CONFIRMED);
			case CONFIRMING -> phaseTwo(transaction, true);
			case CANCELLING, CANCELLED -> rollbackInstead(transaction, "was rolled back by recovery");
			// undecided when its deadline came: the database did not take the decision in time
			case TRYING -> rollbackInstead(transaction, "passed its deadline " + transaction.deadline()
					+ " while its database did not take the decision");
			default -> throw new IllegalStateException("[" + transaction.xid() + "] is " + decided);
		}
	}

	private void rollbackInstead(GlobalTransaction transaction, String reason) {
		XaTimeoutException timeout = new XaTimeoutException("XA transaction " + transaction.name() + " ["
				+ transaction.xid() + "] " + reason + " before it could be committed; it is rolled back");
		try {
			rollback(transaction);
		}
		catch (RuntimeException ex) {
			// the rollback is certain all the same: only this thread could have committed it
			timeout.addSuppressed(ex);
		}
		throw timeout;
	}

	/**
	 * Rolls back a transaction whose method threw; the caller rethrows the original, with
	 * what this throws attached. A decision that fails is followed up, and recovery backs
	 * that up; until then the prepared branches hold their locks.
	 */
	@Override
	public void rollback(GlobalTransaction transaction) {
		if (!transaction.isRecorded()) {
			this.support.finished(transaction, TransactionObserver.Outcome.CANCELLED);
			return;
		}
		GlobalState decided = decideOrFollowUp(transaction, false, now());
		switch (decided) {
			case CANCELLED -> this.support.finished(transaction, TransactionObserver.Outcome.CANCELLED);
			case CANCELLING -> phaseTwo(transaction, false);
			case TRYING -> {
				followUp(transaction, "roll back");
				throw new IllegalStateException("[" + transaction.xid() + "] the decision to roll back did not "
						+ "commit; it is followed up");
			}
			default -> logger.warn("[" + transaction.xid() + "] was to be rolled back but is " + decided);
		}
	}

	/**
	 * Decides, and says what the log holds afterwards. Where the database does not answer,
	 * the caller is not held: the decision is followed up as soon as it does, and recovery
	 * backs that up.
	 */
	private GlobalState decideOrFollowUp(GlobalTransaction transaction, boolean commit, Instant until) {
		GlobalState decided;
		try {
			decided = this.support.transactions().decideUntil(transaction, GlobalState.TRYING,
					commit ? GlobalState.CONFIRMING : GlobalState.CANCELLING, this.support.recoverAfter(), () -> {
					}, until);
		}
		catch (RuntimeException ex) {
			followUp(transaction, commit ? "commit" : "roll back");
			throw ex;
		}
		// the row is written before the first branch begins: none means none ran
		return (decided != null) ? decided : (commit ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
	}

	// the decision is durable: what fails from here on is followed up, the caller hears the decision
	private void phaseTwo(GlobalTransaction transaction, boolean commit) {
		try {
			DtxObservations.phaseTwo(this.support.observations(), MODE, transaction.xid(), commit).observe(() -> {
				for (GlobalTransaction.LocalBranch branch : transaction.branches()) {
					String globalId = PreparedBranches.globalId(transaction.xid(), branch.branchId());
					if (globalId != null) {
						finish(globalId, commit);
					}
				}
				this.support.completeParticipants(transaction.xid(), MODE, transaction.participants(), commit);
			});
			decide(transaction.xid(), commit ? GlobalState.CONFIRMING : GlobalState.CANCELLING,
					commit ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
			this.support.finished(transaction,
					commit ? TransactionObserver.Outcome.CONFIRMED : TransactionObserver.Outcome.CANCELLED);
		}
		catch (RuntimeException ex) {
			this.support.finished(transaction, TransactionObserver.Outcome.FAILED);
			logger.warn("[" + transaction.xid() + "] " + (commit ? "commit" : "rollback")
					+ " failed, it is followed up from the log: " + ex, ex);
			followUp(transaction, commit ? "commit" : "roll back");
		}
	}

	private void finish(String globalId, boolean commit) {
		if (commit) {
			this.branches.commit(globalId);
		}
		else {
			this.branches.rollback(globalId);
		}
	}

	// from the log and the database's list of prepared transactions, as recovery does
	private void followUp(GlobalTransaction transaction, String what) {
		this.support.transactions().followUpFromLog(transaction, what,
				EnumSet.of(GlobalState.TRYING, GlobalState.CONFIRMING, GlobalState.CANCELLING), this::complete);
	}

	/**
	 * Finishes a transaction whose thread is gone: rolls it back if it is still undecided
	 * (its deadline has passed), then commits or rolls back every branch it prepared here,
	 * as the database lists them, and tells the services it called.
	 */
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
		boolean commit = state == GlobalState.CONFIRMING;
		completeUnder(entry.xid(), null, commit);
		decide(entry.xid(), state, commit ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
		logger.info("[" + entry.xid() + "] recovered " + entry.mode() + " " + entry.name() + ": " + state);
	}

	/**
	 * A caller's phase two of the branch it opened here: closes the branch to branches
	 * that arrive late, commits or rolls back what this service prepared under it, and
	 * forwards the decision to the services this one called under it.
	 */
	@Override
	public void completeRemoteBranch(String xid, String branchId, boolean confirm) {
		this.support.transactions().execute((status) -> {
			this.support.fence().enterRemotePhaseTwo(xid, branchId, confirm);
			return null;
		});
		completeUnder(xid, branchId, confirm);
	}

	private void completeUnder(String xid, @Nullable String parentBranch, boolean commit) {
		DtxObservations.phaseTwo(this.support.observations(), MODE, xid, commit).observe(() -> {
			this.branches.finishAll(xid, parentBranch, commit);
			this.support.completeRecordedParticipants(xid, parentBranch, MODE, commit);
		});
	}

	private boolean decide(String xid, GlobalState from, GlobalState to) {
		return this.support.decide(xid, from, to);
	}

	private Instant now() {
		return this.support.now();
	}

}
