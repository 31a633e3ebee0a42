package io.dtx.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.dtx.core.Backoff;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.OutcomeUnknownException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The local transactions in which a coordinator writes its decisions and runs phase two,
 * kept honest against the ways a database lets them down:
 * <ul>
 * <li>a deadlock or lock timeout rolls the work back and runs it again at once, a few
 * times: dtx's own work is the one retried, never the caller's;</li>
 * <li>a failed or refused decision is never taken at its word: the row is read back, and
 * what it holds is the outcome. A commit whose answer was lost (the connection broke
 * during COMMIT) has either happened or not, and the row says which;</li>
 * <li>work that still fails is followed up on dtx's threads from the initial backoff on,
 * for as long as recovery leaves a fresh decision to its thread; recovery, which lasts,
 * takes over after that.</li>
 * </ul>
 */
public final class CoordinatorTransactions {

	private static final Log logger = LogFactory.getLog(CoordinatorTransactions.class);

	// how often a deadlocked piece of dtx's own work runs again before it counts as failed
	private static final int DEADLOCK_RETRIES = 5;

	private static final Duration FIRST_READ_BACK_DELAY = Duration.ofMillis(50);

	private final GlobalTransactionLog log;

	private final TransactionTemplate template;

	private final RetryTemplate deadlockRetry;

	private final TaskScheduler scheduler;

	private final Executor executor;

	private final FollowUpSettings followUps;

	public CoordinatorTransactions(GlobalTransactionLog log, PlatformTransactionManager transactionManager,
			TaskScheduler scheduler, Executor executor, FollowUpSettings followUps) {
		this.log = log;
		this.template = new TransactionTemplate(transactionManager);
		this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		// jitter spreads the retries of transactions that deadlocked with each other
		this.deadlockRetry = new RetryTemplate(RetryPolicy.builder()
			.includes(ConcurrencyFailureException.class)
			.maxRetries(DEADLOCK_RETRIES)
			.delay(Duration.ofMillis(5))
			.jitter(Duration.ofMillis(5))
			.multiplier(2)
			.maxDelay(Duration.ofMillis(200))
			.build());
		this.scheduler = scheduler;
		this.executor = executor;
		this.followUps = followUps;
	}

	/**
	 * Runs the work in a local transaction of its own, again from the start where the
	 * database picked it as a deadlock's victim.
	 */
	public <T> @Nullable T execute(TransactionCallback<T> work) {
		return retryingDeadlocks(() -> this.template.execute(work));
	}

	/**
	 * Moves the transaction's row from one state to another and, in the same local
	 * transaction once the move succeeded, runs {@code alsoInTheDecision}; then says what
	 * the row holds: {@code to} when it moved, else the state someone else decided, or
	 * {@code from} when the attempt rolled back; {@code null} when there is no row (a
	 * branch whose commit failed did not commit after all). Throws {@link OutcomeUnknownException}
	 * when the attempt failed and the row could not be read back by {@code until}.
	 */
	public @Nullable GlobalState decide(GlobalTransaction transaction, GlobalState from, GlobalState to,
			Instant recoverAfter,
			Runnable alsoInTheDecision, Instant until) {
		String xid = transaction.xid();
		RuntimeException failure = null;
		try {
			Boolean moved = execute((status) -> {
				if (!this.log.decide(xid, from, to, recoverAfter)) {
					return false;
				}
				alsoInTheDecision.run();
				return true;
			});
			if (Boolean.TRUE.equals(moved)) {
				return to;
			}
		}
		catch (RuntimeException ex) {
			failure = ex;
			if (logger.isDebugEnabled()) {
				logger.debug("[" + xid + "] deciding " + to + " failed, reading back what the log holds: " + ex);
			}
		}
		return readBack(transaction, until, failure);
	}

	/**
	 * Like {@link #decide}, tried again while the row still holds {@code from} and
	 * {@code until} has not passed: the database may be restarting.
	 */
	public @Nullable GlobalState decideUntil(GlobalTransaction transaction, GlobalState from, GlobalState to,
			Instant recoverAfter, Runnable alsoInTheDecision, Instant until) {
		for (int attempt = 0;; attempt++) {
			GlobalState state = decide(transaction, from, to, recoverAfter, alsoInTheDecision, until);
			if (state != from || !now().isBefore(until)) {
				return state;
			}
			pause(FIRST_READ_BACK_DELAY.multipliedBy(1L << Math.min(attempt, 4)));
		}
	}

	/**
	 * What the transaction's row holds, read again and again until the database answers
	 * or {@code until} passes; then {@link OutcomeUnknownException}, carrying
	 * {@code failure}, the reason the row had to be read.
	 */
	@Nullable GlobalState readBack(GlobalTransaction transaction, Instant until,
			@Nullable RuntimeException failure) {
		// a timeout of zero would mean none: one read at least, then none past the deadline
		Duration remaining = Duration.between(now(), until);
		Duration timeout = (remaining.compareTo(Duration.ofMillis(1)) < 0) ? Duration.ofMillis(1) : remaining;
		RetryTemplate reads = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(Long.MAX_VALUE)
			.delay(FIRST_READ_BACK_DELAY)
			.multiplier(2)
			.maxDelay(Duration.ofSeconds(1))
			.timeout(timeout)
			.build());
		try {
			return reads.execute(() -> this.log.state(transaction.xid()));
		}
		catch (RetryException ex) {
			Throwable cause = (failure != null) ? failure : ex.getLastException();
			OutcomeUnknownException unknown = new OutcomeUnknownException(
					transaction.mode() + " transaction " + transaction.name(), transaction.xid(),
					this.log.table(), cause);
			if (failure != null && ex.getLastException() != failure) {
				unknown.addSuppressed(ex.getLastException());
			}
			throw unknown;
		}
	}

	/**
	 * Drives the transaction from its row in the log, as recovery would, from the initial
	 * backoff on instead of after the lease: when the row holds one of {@code states},
	 * {@code driver} completes it under this instance's lease, so that no other instance
	 * drives it meanwhile.
	 */
	public void followUpFromLog(GlobalTransaction transaction, String what, Set<GlobalState> states,
			Consumer<GlobalTransactionLog.Entry> driver) {
		String xid = transaction.xid();
		followUp(transaction, what, () -> {
			GlobalTransactionLog.Entry entry = this.log.entry(xid);
			if (entry == null || !states.contains(entry.state())) {
				return;
			}
			if (!this.log.claim(entry, this.followUps.owner(), now().plus(this.followUps.until()))) {
				throw new IllegalStateException("another instance drives it");
			}
			driver.accept(entry);
		});
	}

	/**
	 * Runs {@code attempt} on dtx's threads after the initial backoff, and again with
	 * backoff while it throws, until recovery would have the transaction anyway: once the
	 * lease of a fresh decision has passed, and once an undecided transaction's deadline
	 * has, whichever comes later.
	 */
	public void followUp(GlobalTransaction transaction, String what, Runnable attempt) {
		Duration toDeadline = Duration.between(now(), transaction.deadline());
		Duration handOver = (toDeadline.compareTo(this.followUps.until()) > 0) ? toDeadline : this.followUps.until();
		followUp(new FollowUp(transaction.xid(), what, attempt, System.nanoTime(), handOver), 0);
	}

	private void followUp(FollowUp followUp, int attempts) {
		Duration delay = this.followUps.backoff().delay(attempts);
		if (Duration.ofNanos(System.nanoTime() - followUp.since()).plus(delay).compareTo(followUp.handOver()) > 0) {
			logger.warn("[" + followUp.xid() + "] " + followUp.what() + " still fails after " + attempts
					+ " follow-ups; recovery takes it from here");
			return;
		}
		try {
			this.scheduler.schedule(() -> this.executor.execute(() -> run(followUp, attempts)),
					this.scheduler.getClock().instant().plus(delay));
		}
		catch (TaskRejectedException ex) {
			// shutting down: recovery, on this instance's next start or another one, finishes it
			logger.debug("[" + followUp.xid() + "] " + followUp.what() + " left to recovery: " + ex);
		}
	}

	private void run(FollowUp followUp, int attempts) {
		try {
			followUp.attempt().run();
			logger.info("[" + followUp.xid() + "] " + followUp.what() + " done on follow-up " + (attempts + 1));
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("[" + followUp.xid() + "] " + followUp.what() + ": follow-up " + (attempts + 1)
						+ " failed: " + ex);
			}
			followUp(followUp, attempts + 1);
		}
	}

	private <T> T retryingDeadlocks(Supplier<T> work) {
		return this.deadlockRetry.invoke(work);
	}

	private static void pause(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the database", ex);
		}
	}

	private Instant now() {
		return this.log.clock().instant();
	}

	private record FollowUp(String xid, String what, Runnable attempt, long since, Duration handOver) {

	}

	/**
	 * When work that failed on a caller's thread is tried again.
	 *
	 * @param backoff delays between attempts
	 * @param until how long after the first failure at least: recovery's lease, after
	 * which recovery drives a decided transaction (an undecided one is followed up until
	 * its deadline, when recovery looks at it)
	 * @param owner the name of this instance's leases
	 */
	public record FollowUpSettings(Backoff backoff, Duration until, String owner) {

	}

}
