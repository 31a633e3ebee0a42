package io.dtx.tcc;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.Executor;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.PhaseTwo;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.coordinator.TransactionObserver;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.OutcomeUnknownException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Begins TCC transactions, decides them, and runs phase two on their branches: right
 * after the decision for the thread that ran them, and from the log and the fence for
 * recovery. The decision is durable before phase two starts; a phase two that fails
 * half-way is followed up from the log after the initial backoff, and recovery backs
 * that up.
 */
public class TccCoordinator implements TransactionMode {

	/**
	 * The name its transactions are stored and sent under.
	 */
	public static final String MODE = "TCC";

	private static final Log logger = LogFactory.getLog(TccCoordinator.class);

	private final TransactionModeSupport support;

	private final PhaseTwo phaseTwo;

	private final @Nullable Executor asyncPhaseTwo;

	/**
	 * @param asyncPhaseTwo where phase two runs off the caller's thread; {@code null} to
	 * run it on the caller's
	 */
	public TccCoordinator(TransactionModeSupport support, TccActionRegistry actions, @Nullable Executor asyncPhaseTwo) {
		this.support = support;
		this.phaseTwo = support.phaseTwo(MODE, PhaseTwo.Order.AS_TRIED, actions::complete, actions::decode);
		this.asyncPhaseTwo = asyncPhaseTwo;
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
	 * Nothing is concluded from a failed write: the log's row is read back, and what it
	 * holds is what the caller hears; where it cannot be read before the deadline, the
	 * caller hears {@link OutcomeUnknownException}.
	 */
	void confirm(GlobalTransaction transaction) {
		if (!transaction.isRecorded()) {
			// no branch committed and no service was called: nothing to confirm
			this.support.finished(transaction, TransactionObserver.Outcome.CONFIRMED);
			return;
		}
		if (now().isAfter(transaction.deadline())) {
			cancelInstead(transaction, "passed its deadline " + transaction.deadline());
		}
		GlobalState decided = decideOrFollowUp(transaction, true, transaction.deadline());
		switch (decided) {
			case CONFIRMED -> this.support.finished(transaction, TransactionObserver.Outcome.CONFIRMED);
			case CONFIRMING -> phaseTwo(transaction, true);
			case CANCELLING, CANCELLED -> cancelInstead(transaction, "was cancelled by recovery");
			// undecided when its deadline came: the database did not take the decision in time
			case TRYING -> cancelInstead(transaction, "passed its deadline " + transaction.deadline()
					+ " while its database did not take the decision");
			default -> throw new IllegalStateException("[" + transaction.xid() + "] is " + decided);
		}
	}

	private void cancelInstead(GlobalTransaction transaction, String reason) {
		TccTimeoutException timeout = new TccTimeoutException("TCC transaction " + transaction.name() + " ["
				+ transaction.xid() + "] " + reason + " before it could be confirmed; it is cancelled");
		try {
			cancel(transaction);
		}
		catch (RuntimeException ex) {
			// the cancellation is certain all the same: only this thread could have confirmed it
			timeout.addSuppressed(ex);
		}
		throw timeout;
	}

	/**
	 * Cancels a transaction whose method threw; the caller rethrows the original, with
	 * what this throws attached. The caller is not held while the database is away: a
	 * decision that fails is followed up, and recovery backs that up.
	 */
	void cancel(GlobalTransaction transaction) {
		if (!transaction.isRecorded()) {
			// no branch committed and no service was called: nothing to cancel
			this.support.finished(transaction, TransactionObserver.Outcome.CANCELLED);
			return;
		}
		GlobalState decided = decideOrFollowUp(transaction, false, now());
		switch (decided) {
			case CANCELLED -> this.support.finished(transaction, TransactionObserver.Outcome.CANCELLED);
			case CANCELLING -> phaseTwo(transaction, false);
			case TRYING -> {
				followUp(transaction, "cancel");
				throw new IllegalStateException("[" + transaction.xid() + "] the decision to cancel did not commit; "
						+ "it is followed up");
			}
			default -> logger.warn("[" + transaction.xid() + "] was to be cancelled but is " + decided);
		}
	}

	/**
	 * Decides, and says what the log holds afterwards; where no row was written, the only
	 * branch whose commit failed did not commit after all, and the decision stands with
	 * nothing to complete. Where the database does not answer, the caller is not held:
	 * the decision is followed up as soon as it does, and recovery backs that up.
	 */
	private GlobalState decideOrFollowUp(GlobalTransaction transaction, boolean confirm, Instant until) {
		GlobalState decided;
		try {
			decided = decide(transaction, confirm, until);
		}
		catch (RuntimeException ex) {
			// the row holds the decision (the lost commit happened) or is undecided: then it
			// is cancelled, a confirm's transaction being past its deadline by now
			followUp(transaction, confirm ? "confirm" : "cancel");
			throw ex;
		}
		return (decided != null) ? decided : (confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
	}

	/**
	 * Decides, and says what the log holds afterwards. Where every branch is local and
	 * phase two is synchronous, the decision and every branch's phase two go in one local
	 * transaction, so that they commit together (the log then holds CONFIRMED or
	 * CANCELLED); when a branch fails, all of it rolls back and the decision is taken on
	 * its own (CONFIRMING or CANCELLING), phase two following branch by branch.
	 */
	private @Nullable GlobalState decide(GlobalTransaction transaction, boolean confirm, Instant until) {
		Instant recoverAfter = this.support.recoverAfter();
		if (this.asyncPhaseTwo == null && transaction.participants().isEmpty()) {
			GlobalState decided = this.support.transactions().decide(transaction, GlobalState.TRYING,
					confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED, recoverAfter,
					() -> this.phaseTwo.completeInCurrentTransaction(transaction, confirm), until);
			if (decided != GlobalState.TRYING) {
				return decided;
			}
		}
		return this.support.transactions().decideUntil(transaction, GlobalState.TRYING,
				confirm ? GlobalState.CONFIRMING : GlobalState.CANCELLING, recoverAfter, () -> {
				}, until);
	}

	// the decision is durable: phase two may run off the caller's thread, recovery backs it up
	private void phaseTwo(GlobalTransaction transaction, boolean confirm) {
		Runnable phaseTwo = () -> completeBranches(transaction, confirm);
		if (this.asyncPhaseTwo != null) {
			// on the executor's thread under the transaction's observation, so that its trace goes on there
			Observation caller = this.support.observations().getCurrentObservation();
			this.asyncPhaseTwo.execute(() -> {
				try (Observation.Scope scope = (caller != null) ? caller.openScope() : null) {
					phaseTwo.run();
				}
			});
		}
		else {
			phaseTwo.run();
		}
	}

	private void completeBranches(GlobalTransaction transaction, boolean confirm) {
		try {
			this.phaseTwo.complete(transaction, confirm);
			decide(transaction.xid(), confirm ? GlobalState.CONFIRMING : GlobalState.CANCELLING,
					confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
			this.support.finished(transaction,
					confirm ? TransactionObserver.Outcome.CONFIRMED : TransactionObserver.Outcome.CANCELLED);
		}
		catch (RuntimeException ex) {
			this.support.finished(transaction, TransactionObserver.Outcome.FAILED);
			logger.warn("[" + transaction.xid() + "] " + (confirm ? "confirm" : "cancel")
					+ " failed, it is followed up from the log: " + ex, ex);
			followUp(transaction, confirm ? "confirm" : "cancel");
		}
	}

	// from the log and the fence, as recovery does, but without waiting for the lease
	private void followUp(GlobalTransaction transaction, String what) {
		this.support.transactions().followUpFromLog(transaction, what,
				EnumSet.of(GlobalState.TRYING, GlobalState.CONFIRMING, GlobalState.CANCELLING), this::complete);
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
		this.phaseTwo.complete(entry.xid(), null, confirm);
		decide(entry.xid(), state, confirm ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
		logger.info("[" + entry.xid() + "] recovered " + entry.mode() + " " + entry.name() + ": " + state);
	}

	/**
	 * Closes the branch to late tries, completes the local branches run under it and
	 * forwards the decision to the services this one called under it.
	 */
	@Override
	public void completeRemoteBranch(String xid, String branchId, boolean confirm) {
		this.phaseTwo.completeRemoteBranch(xid, branchId, confirm);
	}

	private boolean decide(String xid, GlobalState from, GlobalState to) {
		return this.support.decide(xid, from, to);
	}

	private Instant now() {
		return this.support.now();
	}

}
