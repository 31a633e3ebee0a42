package io.dtx.core;

import org.jspecify.annotations.Nullable;

/**
 * Finishes, on behalf of recovery, a global transaction of one mode whose thread is gone.
 */
public interface GlobalTransactionDriver {

	TransactionMode mode();

	/**
	 * Drives the transaction to its final state: cancels it if it is still undecided
	 * (its deadline has passed), else completes phase two. Throws to be retried later.
	 */
	void complete(GlobalTransactionLog.Entry entry);

	/**
	 * The delays between recovery's attempts at this mode's transactions; {@code null}
	 * for recovery's own.
	 */
	default @Nullable Backoff backoff() {
		return null;
	}

}
