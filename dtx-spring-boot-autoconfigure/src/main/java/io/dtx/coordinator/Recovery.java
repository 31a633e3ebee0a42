package io.dtx.coordinator;

import java.time.Duration;
import java.time.Instant;

import io.dtx.core.Backoff;
import io.dtx.core.GlobalState;
import io.dtx.jdbc.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Finds global transactions left unfinished (phase two interrupted, or undecided past
 * their deadline) and drives them to the end. Any instance of the service may run it: a
 * lease on each transaction keeps two instances from driving the same one at once, and a
 * failed attempt is retried with exponential backoff.
 */
public class Recovery extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(Recovery.class);

	private final GlobalTransactionLog log;

	private final TransactionModes modes;

	private final Settings settings;

	private final String owner;

	private final @Nullable InDoubtResolver inDoubt;

	public Recovery(GlobalTransactionLog log, TransactionModes modes, TaskScheduler scheduler,
			Settings settings, String owner, @Nullable InDoubtResolver inDoubt) {
		// the first pass comes one interval after start-up, like every later one: a pass at
		// start-up would race whoever calls recoverDue() right after it, as tests do
		super(scheduler, settings.interval(), settings.interval());
		this.log = log;
		this.modes = modes;
		this.settings = settings;
		this.owner = owner;
		this.inDoubt = inDoubt;
	}

	/**
	 * One pass over the branches other services opened here and never completed; returns
	 * how many it completed.
	 */
	public int resolveInDoubt() {
		return (this.inDoubt != null) ? this.inDoubt.resolveDue(this.settings.batchSize()) : 0;
	}

	/**
	 * One pass over the due transactions; returns how many it finished.
	 */
	public int recoverDue() {
		int finished = 0;
		for (GlobalTransactionLog.Entry entry : this.log.findDue(this.settings.batchSize())) {
			if (attempt(entry, false)) {
				finished++;
			}
		}
		return finished;
	}

	/**
	 * Drives one transaction now, as a pass would once it is due, for an operator who does
	 * not wait for the next pass: a decided transaction whose phase two is unfinished, or
	 * an undecided one past its deadline (which this cancels). Returns false where another
	 * instance holds its lease or its mode is not registered here; throws the failure of
	 * the attempt, which is rescheduled as any other.
	 * @throws IllegalArgumentException where the transaction is neither
	 */
	public boolean recoverNow(GlobalTransactionLog.Entry entry) {
		GlobalState state = entry.state();
		boolean undecided = state == GlobalState.TRYING;
		if (!(undecided || state == GlobalState.CONFIRMING || state == GlobalState.CANCELLING)
				|| (undecided && !entry.deadline().isBefore(this.log.clock().instant()))) {
			throw new IllegalArgumentException("[" + entry.xid() + "] is " + state
					+ (undecided ? " before its deadline " + entry.deadline() : "") + ": nothing for recovery to do");
		}
		return attempt(entry, true);
	}

	/**
	 * Claims the transaction and completes it through its mode; a failure to complete is
	 * logged and rescheduled, and thrown where {@code rethrow} says so. A failure to claim
	 * (the database away) ends the pass, as it always did.
	 */
	private boolean attempt(GlobalTransactionLog.Entry entry, boolean rethrow) {
		TransactionMode mode = this.modes.get(entry.mode());
		Instant now = this.log.clock().instant();
		if (mode == null || !this.log.claim(entry, this.owner, now.plus(this.settings.lease()))) {
			return false;
		}
		try {
			mode.complete(entry);
			return true;
		}
		catch (RuntimeException ex) {
			Backoff backoff = mode.backoff();
			Instant next = now.plus((backoff != null) ? backoff.delay(entry.attempts()) : backoff(entry.attempts()));
			logger.warn("[" + entry.xid() + "] " + entry.mode() + " " + entry.name() + ": recovery attempt "
					+ (entry.attempts() + 1) + " failed, next at " + next + ": " + ex, ex);
			this.log.retryLater(entry, this.owner, next, ex);
			if (rethrow) {
				throw ex;
			}
			return false;
		}
	}

	Duration backoff(int attempts) {
		return new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff()).delay(attempts);
	}

	@Override
	protected void runOnce() {
		recoverDue();
		resolveInDoubt();
	}

	/**
	 * How recovery runs.
	 *
	 * @param interval time between two passes
	 * @param lease how long one instance holds a transaction it drives
	 * @param initialBackoff delay before the second attempt at a transaction
	 * @param maxBackoff longest delay between attempts
	 * @param batchSize most transactions looked at in one pass
	 */
	public record Settings(Duration interval, Duration lease, Duration initialBackoff, Duration maxBackoff,
			int batchSize) {

	}

}
