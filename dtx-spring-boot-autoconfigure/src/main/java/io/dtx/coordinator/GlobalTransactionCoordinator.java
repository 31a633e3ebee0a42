package io.dtx.coordinator;

import java.time.Duration;

import io.dtx.core.GlobalTransaction;
import io.micrometer.observation.ObservationRegistry;

/**
 * Begins the global transactions of one mode and ends them when the method that
 * started them returns or throws.
 */
public interface GlobalTransactionCoordinator {

	/**
	 * A new transaction, not yet bound to the thread.
	 */
	GlobalTransaction begin(String name, Duration timeout);

	/**
	 * The method returned: confirm the transaction; throws where that is no longer
	 * possible (its deadline passed), after rolling it back.
	 */
	void commit(GlobalTransaction transaction);

	/**
	 * The method threw: roll the transaction back; the caller rethrows the original.
	 */
	void rollback(GlobalTransaction transaction);

	/**
	 * Where the transactions it runs are observed; none by default.
	 */
	default ObservationRegistry observations() {
		return ObservationRegistry.NOOP;
	}

}
