package io.dtx.coordinator;

import java.util.List;

import io.dtx.core.Participant;
import io.dtx.fence.FencedBranch;

/**
 * Asks other services to complete the branches a global transaction opened in them.
 */
public interface ParticipantClient {

	/**
	 * Confirms or cancels every participant, in parallel, telling {@code completed} of
	 * each that did; throws, once all were tried, when any did not.
	 */
	void completeAll(String xid, String mode, List<Participant> participants, boolean confirm,
			java.util.function.Consumer<Participant> completed);

	/**
	 * The branches of the transaction the participant's fence holds, as it reports them
	 * (every branch of the transaction there, not only those under
	 * {@link Participant#branchId()}); throws when it cannot be asked. Only an operator's
	 * view reads this: a client that cannot ask leaves it out of that view.
	 */
	default List<FencedBranch> branches(Participant participant, String xid) {
		throw new UnsupportedOperationException(getClass().getName() + " does not ask participants for their branches");
	}

}
