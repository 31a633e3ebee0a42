package io.dtx.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Recovery of global transactions (TCC, sagas) left unfinished by a crash, a timeout
 * or a failing participant.
 *
 * <p>Bound under {@code dtx.recovery}.
 */
@ConfigurationProperties("dtx.recovery")
public class DtxRecoveryProperties {

	/**
	 * Whether this instance looks for unfinished transactions and finishes them.
	 */
	private boolean enabled = true;

	/**
	 * Time between two looks for unfinished transactions.
	 */
	private Duration interval = Duration.ofSeconds(5);

	/**
	 * How long an instance holds a transaction it drives before another instance may
	 * take it over. The thread that decides a transaction holds it the same way, so
	 * recovery leaves a freshly decided transaction to that thread for as long.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How long past its deadline a branch this service ran for another service's
	 * transaction waits for its phase two before this service asks that transaction's
	 * coordinator for the outcome. Defaults to the lease.
	 */
	private @Nullable Duration inDoubtDelay;

	/**
	 * Delay before the second attempt at a failing transaction; it doubles with every
	 * attempt.
	 */
	private Duration initialBackoff = Duration.ofSeconds(1);

	/**
	 * Longest delay between two attempts at a failing transaction.
	 */
	private Duration maxBackoff = Duration.ofMinutes(5);

	/**
	 * Most transactions one look takes on.
	 */
	private int batchSize = 100;

	/**
	 * Threads that run phase two off the caller's thread: follow-ups of a phase two that
	 * failed on it, asynchronous phase two, and the parallel calls to participants unless
	 * dtx.http.call-threads gives them threads of their own.
	 */
	private int phaseTwoThreads = 8;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public @Nullable Duration getInDoubtDelay() {
		return this.inDoubtDelay;
	}

	public void setInDoubtDelay(@Nullable Duration inDoubtDelay) {
		this.inDoubtDelay = inDoubtDelay;
	}

	/**
	 * The in-doubt delay, or the lease where none is set.
	 */
	Duration inDoubtDelayOrLease() {
		return (this.inDoubtDelay != null) ? this.inDoubtDelay : this.lease;
	}

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public int getPhaseTwoThreads() {
		return this.phaseTwoThreads;
	}

	public void setPhaseTwoThreads(int phaseTwoThreads) {
		this.phaseTwoThreads = phaseTwoThreads;
	}

}
