package io.dtx.coordinator;

import java.time.Duration;
import java.time.Instant;

import io.dtx.core.Backoff;
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
			TransactionMode mode = this.modes.get(entry.mode());
			Instant now = this.log.clock().instant();
			if (mode == null || !this.log.claim(entry, this.owner, now.plus(this.settings.lease()))) {
				continue;
			}
			try {
				mode.complete(entry);
				finished++;
			}
			catch (RuntimeException ex) {
				Backoff backoff = mode.backoff();
				Instant next = now
					.plus((backoff != null) ? backoff.delay(entry.attempts()) : backoff(entry.attempts()));
				logger.warn("[" + entry.xid() + "] " + entry.mode() + " " + entry.name() + ": recovery attempt "
						+ (entry.attempts() + 1) + " failed, next at " + next + ": " + ex, ex);
				this.log.retryLater(entry, this.owner, next);
			}
		}
		return finished;
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
