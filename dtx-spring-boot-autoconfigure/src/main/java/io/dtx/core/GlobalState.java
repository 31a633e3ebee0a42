package io.dtx.core;

/**
 * Where a global transaction stands in the coordinator log.
 */
public enum GlobalState {

	/** Branches are being tried; no decision yet. */
	TRYING,

	/** Decided to commit; phase two confirms the branches. */
	CONFIRMING,

	/** Decided to roll back; phase two cancels the branches. */
	CANCELLING,

	/** Every branch confirmed. */
	CONFIRMED,

	/** Every branch cancelled. */
	CANCELLED,

	/**
	 * A transaction whose rollback (a compensation, say) kept failing until its attempts ran out: left for an
	 * operator to look at and retry, never deleted by retention.
	 */
	FAILED;

	public boolean isFinal() {
		return this == CONFIRMED || this == CANCELLED;
	}

}
