package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Recovery of global transactions (TCC, sagas) left unfinished by a crash, a timeout
 * or a failing participant.
 *
 * <p>Bound under {@code dtx.recovery}.
 *
 * @param enabled Whether this instance looks for unfinished transactions and finishes
 * them.
 * @param interval Time between two looks for unfinished transactions.
 * @param lease How long an instance holds a transaction it drives before another instance
 * may take it over. The thread that decides a transaction holds it the same way, so
 * recovery leaves a freshly decided transaction to that thread for as long.
 * @param inDoubtDelay How long past its deadline a branch this service ran for another
 * service's transaction waits for its phase two before this service asks that
 * transaction's coordinator for the outcome. Defaults to the lease.
 * @param initialBackoff Delay before the second attempt at a failing transaction; it
 * doubles with every attempt.
 * @param maxBackoff Longest delay between two attempts at a failing transaction.
 * @param batchSize Most transactions one look takes on.
 * @param phaseTwoThreads Threads that run phase two off the caller's thread: follow-ups of
 * a phase two that failed on it, asynchronous phase two, and the parallel calls to
 * participants unless dtx.http.call-threads gives them threads of their own.
 */
@ConfigurationProperties("dtx.recovery")
public record DtxRecoveryProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5s") Duration interval,
		@DefaultValue("30s") Duration lease, Duration inDoubtDelay, @DefaultValue("1s") Duration initialBackoff,
		@DefaultValue("5m") Duration maxBackoff, @DefaultValue("100") int batchSize,
		@DefaultValue("8") int phaseTwoThreads) {

	/**
	 * Takes the lease as the in-doubt delay where {@code dtx.recovery.in-doubt-delay} is
	 * not set (the binder passes null): the lease held both meanings before the delay had
	 * a key of its own.
	 */
	public DtxRecoveryProperties {
		inDoubtDelay = (inDoubtDelay != null) ? inDoubtDelay : lease;
	}

}
