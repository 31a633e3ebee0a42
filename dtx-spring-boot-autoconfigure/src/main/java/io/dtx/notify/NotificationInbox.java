package io.dtx.notify;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;

/**
 * The notifications received, in the inbox table that Kafka consumers use too: a row per
 * sender and notification id, written in the handler's transaction, so that a
 * notification delivered twice is applied once. The notifications' retention deletes old
 * rows (the outbox's too, when it is on).
 */
final class NotificationInbox extends TableStore {

	// the inbox's consumer column names what received the message: senders apart from Kafka consumers
	private static final String CONSUMER_PREFIX = "notification:";

	private final InsertIfAbsent insert;

	private final String received;

	private final String deleteBefore;

	NotificationInbox(DtxTables tables) {
		super(tables, "inbox");
		this.insert = insertIfAbsent("consumer, message_id, received_at", "?, ?, ?");
		this.received = "select message_id from " + table() + " where consumer = ? and message_id in (%s)";
		this.deleteBefore = "delete from " + table() + " where consumer like '" + CONSUMER_PREFIX
				+ "%' and received_at < ?";
	}

	/**
	 * Notes the notification received, in the caller's transaction; false where it was
	 * before.
	 */
	boolean receive(String sender, String id) {
		return this.insert.insert(CONSUMER_PREFIX + sender, id, now());
	}

	/**
	 * The ids among {@code ids} received from {@code sender}.
	 */
	Set<String> received(String sender, Collection<String> ids) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		Object[] arguments = new Object[ids.size() + 1];
		arguments[0] = CONSUMER_PREFIX + sender;
		int i = 1;
		for (String id : ids) {
			arguments[i++] = id;
		}
		return new HashSet<>(jdbc().queryForList(
				this.received.formatted(String.join(", ", Collections.nCopies(ids.size(), "?"))), String.class,
				arguments));
	}

	/**
	 * Deletes the notifications' entries received before {@code before}; returns how many.
	 */
	int deleteReceivedBefore(Instant before) {
		return jdbc().update(this.deleteBefore, Timestamp.from(before));
	}

}
