package io.dtx.coordinator;

import java.util.List;

import io.dtx.core.Participant;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Sends phase two to the services a global transaction called, and notes in the
 * participant log each that answered.
 */
public final class ParticipantCalls {

	private final ParticipantLog participants;

	private final ObjectProvider<ParticipantClient> client;

	public ParticipantCalls(ParticipantLog participants, ObjectProvider<ParticipantClient> client) {
		this.participants = participants;
		this.client = client;
	}

	/**
	 * Confirms or cancels the branches opened in {@code called}; throws when any did not
	 * answer.
	 */
	public void complete(String xid, String mode, List<Participant> called, boolean confirm) {
		if (called.isEmpty()) {
			return;
		}
		ParticipantClient client = this.client.getIfAvailable();
		if (client == null) {
			throw new IllegalStateException("[" + xid + "] has participants in other services, but no "
					+ "ParticipantClient is configured to reach them");
		}
		client.completeAll(xid, mode, called, confirm, (participant) -> this.participants.completed(xid, participant));
	}

	/**
	 * The participants of the transaction not yet completed, directly under
	 * {@code parentBranch}, with the time each was called.
	 */
	List<ParticipantLog.Call> pending(String xid, @org.jspecify.annotations.Nullable String parentBranch) {
		return this.participants.pendingCalls(xid, parentBranch);
	}

}
