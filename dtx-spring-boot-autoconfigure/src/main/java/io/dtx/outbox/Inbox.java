package io.dtx.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a consumer apply each message once: the message's id is recorded for the
 * consumer in the same local transaction as the effect, so a message delivered again (a
 * relay that crashed after sending, a consumer that crashed before committing its offset)
 * is recognised and dropped. The inbox lives in dtx's DataSource, which must be the one
 * the effect writes to, or be enlisted with it in one JTA transaction.
 */
public class Inbox extends TableStore {

	private final InsertIfAbsent insert;

	private final String deleteBefore;

	private final TransactionTemplate transaction;

	public Inbox(DtxTables tables, PlatformTransactionManager transactionManager) {
		super(tables, "inbox");
		this.insert = insertIfAbsent("consumer, message_id, received_at", "?, ?, ?");
		this.deleteBefore = "delete from " + table() + " where received_at < ?";
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * Runs {@code effect} unless {@code consumer} has received {@code messageId} before,
	 * in the caller's transaction or, without one, in a new one; returns whether it ran.
	 * Two deliveries of one message racing each other: one runs, the other waits for its
	 * commit and is dropped.
	 */
	public boolean receive(String consumer, String messageId, Runnable effect) {
		Boolean received = this.transaction.execute((status) -> {
			if (!this.insert.insert(consumer, messageId, now())) {
				return false;
			}
			effect.run();
			return true;
		});
		return Boolean.TRUE.equals(received);
	}

	/**
	 * Deletes the entries received before {@code before}; returns how many. A message
	 * delivered again after its entry is gone would be applied again.
	 */
	int deleteReceivedBefore(Instant before) {
		return jdbc().update(this.deleteBefore, Timestamp.from(before));
	}

}
