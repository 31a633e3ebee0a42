package io.dtx.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a consumer apply each message once: the message's id is recorded for the
 * consumer in the same local transaction as the effect, so a message delivered again (a
 * relay that crashed after sending, a consumer that crashed before committing its offset)
 * is recognised and dropped. The inbox lives in dtx's DataSource, which must be the one
 * the effect writes to, or be enlisted with it in one JTA transaction.
 */
public class Inbox {

	private final InsertIfAbsent insert;

	private final JdbcTemplate jdbc;

	private final String deleteBefore;

	private final TransactionTemplate transaction;

	private final DtxTables tables;

	public Inbox(DtxTables tables, PlatformTransactionManager transactionManager) {
		this.insert = new InsertIfAbsent(tables, tables.name("inbox"), "consumer, message_id, received_at",
				"?, ?, ?");
		this.jdbc = tables.jdbcTemplate();
		this.deleteBefore = "delete from " + tables.name("inbox") + " where received_at < ?";
		this.transaction = new TransactionTemplate(transactionManager);
		this.tables = tables;
	}

	/**
	 * Runs {@code effect} unless {@code consumer} has received {@code messageId} before,
	 * in the caller's transaction or, without one, in a new one; returns whether it ran.
	 * Two deliveries of one message racing each other: one runs, the other waits for its
	 * commit and is dropped.
	 */
	public boolean receive(String consumer, String messageId, Runnable effect) {
		Boolean received = this.transaction.execute((status) -> {
			if (!this.insert.insert(consumer, messageId, this.tables.now())) {
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
		return this.jdbc.update(this.deleteBefore, Timestamp.from(before));
	}

}
