package io.dtx.saga.orchestration;

/**
 * Where a saga is.
 */
public enum SagaStatus {

	/** Its steps run forward. */
	RUNNING,

	/** A step failed; the steps before it are undone in reverse. */
	COMPENSATING,

	/** Every step succeeded. */
	COMPLETED,

	/** A step failed and every step before it was undone: the saga failed, cleanly. */
	COMPENSATED,

	/** A compensation failed: parked for an operator, who retries it. */
	FAILED,

	/** Given up by an operator: nothing more runs. */
	ABANDONED;

	/**
	 * Whether nothing more happens to the saga by itself.
	 */
	public boolean finished() {
		return this == COMPLETED || this == COMPENSATED || this == ABANDONED;
	}

}
