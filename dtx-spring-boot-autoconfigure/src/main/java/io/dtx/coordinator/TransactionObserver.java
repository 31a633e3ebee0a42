package io.dtx.coordinator;

import java.time.Duration;

import io.dtx.core.GlobalTransaction;

/**
 * Told when global transactions start and end in this service, for metrics.
 */
public interface TransactionObserver {

	/**
	 * Observes nothing.
	 */
	TransactionObserver NONE = new TransactionObserver() {
	};

	default void started(GlobalTransaction transaction) {
	}

	/**
	 * The transaction ended in {@code outcome}, {@code duration} after it started.
	 */
	default void finished(GlobalTransaction transaction, Outcome outcome, Duration duration) {
	}

	/**
	 * How a transaction ended, as seen by the thread that ran it.
	 */
	enum Outcome {

		/** Every branch confirmed. */
		CONFIRMED,

		/** Every branch cancelled. */
		CANCELLED,

		/** Phase two failed part-way; recovery finishes it. */
		FAILED

	}

}
