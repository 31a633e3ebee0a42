package io.dtx.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.PhaseTwo;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.coordinator.TransactionObserver;
import io.dtx.core.Backoff;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.OutcomeUnknownException;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Begins sagas, closes those whose method returned, and compensates the others: the
 * committed steps in reverse order, each compensation in a local transaction of its own
 * with its fence update. A compensation that fails is retried by recovery with
 * exponential backoff until it succeeds or its attempts run out; the saga is then
 * {@link GlobalState#FAILED} until retried through {@link Sagas}.
 */
public class SagaCoordinator implements TransactionMode {

	/**
	 * The name its transactions are stored and sent under.
	 */
	public static final String MODE = "SAGA";

	private static final Log logger = LogFactory.getLog(SagaCoordinator.class);

	private final TransactionModeSupport support;

	private final Compensation compensation;

	private final PhaseTwo phaseTwo;

	public SagaCoordinator(TransactionModeSupport support, SagaStepRegistry steps, Compensation compensation) {
		this.support = support;
		this.compensation = compensation;
		this.phaseTwo = support.phaseTwo(MODE, PhaseTwo.Order.REVERSE, steps::compensate, steps::decode);
	}

	@Override
	public String name() {
		return MODE;
	}

	@Override
	public Backoff backoff() {
		return this.compensation.backoff();
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
	 * The saga's method returned: its steps are committed already, so the saga is only
	 * marked finished (its row and its steps' fence rows, in one local transaction), and
	 * the services it called are told, so that they close their steps too. A mark that
	 * does not commit is written again, on this thread until the deadline, then by a
	 * follow-up: the saga is finished forward, not compensated. The row is read back
	 * before anything is concluded; where it cannot be read before the deadline, the
	 * caller hears {@link OutcomeUnknownException}.
	 */
	@Override
	public void commit(GlobalTransaction saga) {
		if (!saga.isRecorded()) {
			this.support.finished(saga, TransactionObserver.Outcome.CONFIRMED);
			return;
		}
		if (now().isAfter(saga.deadline())) {
			compensateInstead(saga, "passed its deadline " + saga.deadline());
		}
		GlobalState finished;
		try {
			finished = markFinished(saga, saga.deadline());
		}
		catch (OutcomeUnknownException ex) {
			followUpForward(saga);
			throw ex;
		}
		if (finished == null) {
			// no row: the only step whose commit failed did not commit after all
			this.support.finished(saga, TransactionObserver.Outcome.CONFIRMED);
			return;
		}
		switch (finished) {
			case CONFIRMED, CONFIRMING -> this.support.finished(saga, TransactionObserver.Outcome.CONFIRMED);
			case CANCELLING, CANCELLED, FAILED -> compensateInstead(saga, "was being compensated by recovery");
			default -> {
				// still TRYING at its deadline: either the follow-up finishes it or recovery compensates it
				followUpForward(saga);
				throw new OutcomeUnknownException("saga " + saga.name(), saga.xid(), this.support.log().table(),
						new IllegalStateException("its end mark did not commit before the deadline"));
			}
		}
		if (finished == GlobalState.CONFIRMING) {
			tellParticipantsFinished(saga);
		}
	}

	private @Nullable GlobalState markFinished(GlobalTransaction saga, Instant until) {
		GlobalState decided = saga.participants().isEmpty() ? GlobalState.CONFIRMED : GlobalState.CONFIRMING;
		return this.support.transactions().decideUntil(saga, GlobalState.TRYING, decided, this.support.recoverAfter(),
				() -> this.support.fence().markOwnBranchesConfirmed(saga.xid()), until);
	}

	private void tellParticipantsFinished(GlobalTransaction saga) {
		try {
			this.support.completeParticipants(saga.xid(), MODE, saga.participants(), true);
			decide(saga.xid(), GlobalState.CONFIRMING, GlobalState.CONFIRMED);
		}
		catch (RuntimeException ex) {
			logger.warn("[" + saga.xid() + "] saga finished, but telling the services it called failed; recovery "
					+ "tells them later: " + ex);
		}
	}

	// its steps are committed and its method returned: only the mark is missing
	private void followUpForward(GlobalTransaction saga) {
		this.support.transactions().followUp(saga, "finishing saga " + saga.name() + " forward", () -> {
			if (markFinished(saga, now()) == GlobalState.TRYING) {
				throw new IllegalStateException("the end mark did not commit");
			}
			GlobalState state = this.support.log().state(saga.xid());
			if (state == GlobalState.CONFIRMING) {
				tellParticipantsFinished(saga);
			}
		});
	}

	private void compensateInstead(GlobalTransaction saga, String reason) {
		SagaTimeoutException timeout = new SagaTimeoutException("Saga " + saga.name() + " [" + saga.xid() + "] "
				+ reason + " before it could finish; every step that committed is compensated");
		try {
			rollback(saga);
		}
		catch (RuntimeException ex) {
			// compensation is certain all the same: it is followed up, and recovery backs that up
			timeout.addSuppressed(ex);
		}
		throw timeout;
	}

	/**
	 * The saga's method threw: compensates the committed steps in reverse order from
	 * what this thread knows; a failure is left to recovery, with backoff. Where the
	 * decision does not commit, the caller is not held: a follow-up compensates as soon
	 * as the database answers, and the caller's exception carries what failed.
	 */
	@Override
	public void rollback(GlobalTransaction saga) {
		if (!saga.isRecorded()) {
			this.support.finished(saga, TransactionObserver.Outcome.CANCELLED);
			return;
		}
		String xid = saga.xid();
		GlobalState decided;
		try {
			decided = this.support.transactions().decide(saga, GlobalState.TRYING, GlobalState.CANCELLING,
					this.support.recoverAfter(), () -> {
					}, now());
		}
		catch (RuntimeException ex) {
			followUpCompensation(saga);
			throw ex;
		}
		if (decided == GlobalState.TRYING) {
			followUpCompensation(saga);
			throw new IllegalStateException("[" + xid + "] the decision to compensate did not commit; it is "
					+ "followed up");
		}
		if (decided != GlobalState.CANCELLING) {
			if (logger.isDebugEnabled()) {
				logger.debug("[" + xid + "] was " + decided + " already; nothing to compensate here");
			}
			return;
		}
		try {
			this.phaseTwo.complete(saga, false);
			decide(xid, GlobalState.CANCELLING, GlobalState.CANCELLED);
			this.support.finished(saga, TransactionObserver.Outcome.CANCELLED);
		}
		catch (RuntimeException ex) {
			this.support.finished(saga, TransactionObserver.Outcome.FAILED);
			try {
				failedAttempt(new GlobalTransactionLog.Entry(xid, MODE, saga.name(),
						GlobalState.CANCELLING, saga.deadline(), 0, null), ex);
			}
			catch (RuntimeException bookkeeping) {
				ex.addSuppressed(bookkeeping);
				followUpCompensation(saga);
				throw ex;
			}
		}
	}

	// from the log and the fence, as recovery does, but without waiting for the deadline
	private void followUpCompensation(GlobalTransaction saga) {
		this.support.transactions().followUpFromLog(saga, "compensating saga " + saga.name(),
				EnumSet.of(GlobalState.TRYING, GlobalState.CANCELLING), this::complete);
	}

	@Override
	public void complete(GlobalTransactionLog.Entry entry) {
		String xid = entry.xid();
		GlobalState state = entry.state();
		if (state == GlobalState.CONFIRMING) {
			// its steps were marked confirmed with the decision: what is left is the services called
			this.phaseTwo.complete(xid, null, true);
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
			this.phaseTwo.complete(xid, null, false);
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
		this.phaseTwo.completeRemoteBranch(xid, branchId, confirm);
	}

	/**
	 * Moves a {@link GlobalState#FAILED} saga back to compensation and tries once more
	 * at once; recovery goes on from there. Returns the saga's state afterwards.
	 */
	@Nullable GlobalState retry(String xid) {
		if (this.support.log().restate(xid, GlobalState.FAILED, GlobalState.CANCELLING, 0, null)) {
			GlobalTransactionLog.Entry entry = this.support.log().entry(xid);
			if (entry != null) {
				try {
					complete(entry);
				}
				catch (RuntimeException ex) {
					failedAttempt(entry, ex);
				}
			}
		}
		return this.support.log().state(xid);
	}

	// a failed attempt outside recovery: recovery makes the next one, unless this was the last
	private void failedAttempt(GlobalTransactionLog.Entry entry, RuntimeException ex) {
		if (giveUp(entry.attempts() + 1)) {
			fail(entry, ex);
			return;
		}
		Instant next = now().plus(this.compensation.backoff().delay(entry.attempts()));
		this.support.log().retryLater(entry, "", next, ex);
		logger.warn("[" + entry.xid() + "] compensating saga " + entry.name() + " failed; recovery retries at "
				+ next + ": " + ex, ex);
	}

	private boolean giveUp(int attempts) {
		return attempts >= this.compensation.maxAttempts();
	}

	private void fail(GlobalTransactionLog.Entry entry, RuntimeException ex) {
		this.support.transactions().execute((status) -> this.support.log().restate(entry.xid(), GlobalState.CANCELLING,
				GlobalState.FAILED, entry.attempts() + 1, ex));
		logger.error("[" + entry.xid() + "] compensating saga " + entry.name() + " failed " + (entry.attempts() + 1)
				+ " times; it is FAILED until retried through Sagas#retry: " + ex, ex);
	}

	private boolean decide(String xid, GlobalState from, GlobalState to) {
		return this.support.decide(xid, from, to);
	}

	private Instant now() {
		return this.support.now();
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
