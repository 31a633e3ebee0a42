package io.dtx.notify;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;

/**
 * The notifications received, in the inbox table that Kafka consumers use too: a row per
 * sender and notification id, written in the handler's transaction, so that a
 * notification delivered twice is applied once. The outbox's retention deletes old rows.
 */
final class NotificationInbox extends TableStore {

	// the inbox's consumer column names what received the message: senders apart from Kafka consumers
	private static final String CONSUMER_PREFIX = "notification:";

	private final InsertIfAbsent insert;

	NotificationInbox(DtxTables tables) {
		super(tables, "inbox");
		this.insert = insertIfAbsent("consumer, message_id, received_at", "?, ?, ?");
	}

	/**
	 * Notes the notification received, in the caller's transaction; false where it was
	 * before.
	 */
	boolean receive(String sender, String id) {
		return this.insert.insert(CONSUMER_PREFIX + sender, id, now());
	}

}
