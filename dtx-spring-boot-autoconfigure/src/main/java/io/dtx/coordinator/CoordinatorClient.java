package io.dtx.coordinator;

import io.dtx.core.GlobalState;

/**
 * Asks the service that started a global transaction how it ended.
 */
public interface CoordinatorClient {

	/**
	 * The state of the transaction at its coordinator; a coordinator that never recorded
	 * it answers {@link GlobalState#CANCELLED}. Throws when the coordinator cannot be
	 * reached.
	 */
	GlobalState outcome(String coordinatorUrl, String xid);

}
