package io.dtx.coordinator;

import java.util.List;

import io.dtx.core.Participant;

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

}
