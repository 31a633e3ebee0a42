package io.dtx.notify;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;


/**
 * The notification table. The insert runs in the caller's business transaction; a claim
 * in a short transaction of the dispatcher's; the outcome of a send with none, after it.
 */
final class NotificationStore extends TableStore {

	private final InsertIfAbsent insert;

	private final String due;

	private final String claim;

	private final String delivered;

	private final String failed;

	private final String exhaust;

	private final String exhausted;

	private final String retry;

	NotificationStore(DtxTables tables) {
		super(tables, "notification");
		String table = table();
		this.insert = insertIfAbsent("id, endpoint, type, payload, state, attempts, next_attempt_at, created_at",
				"?, ?, ?, ?, 'PENDING', 0, ?, ?");
		// locked rows are another dispatcher's claim in progress: passed over where the vendor can
		this.due = "select id, endpoint, type, payload, attempts, created_at from " + table + " where state = 'PENDING' and next_attempt_at <= ?%s"
				+ " order by next_attempt_at limit ? for update" + tables.vendor().skipLocked();
		// a compare-and-set on the due time: where locked rows are waited for (H2), the second
		// dispatcher finds the row no longer due and takes nothing
		this.claim = "update " + table + " set next_attempt_at = ?, claim = ? where id = ? and state = 'PENDING'"
				+ " and next_attempt_at <= ?";
		this.delivered = "update " + table + " set state = 'DELIVERED', attempts = ?, delivered_at = ?, claim = null,"
				+ " last_error = null where id = ? and claim = ?";
		this.failed = "update " + table + " set attempts = ?, next_attempt_at = ?, claim = null, last_error = ?"
				+ " where id = ? and claim = ?";
		this.exhaust = "update " + table + " set state = 'EXHAUSTED', attempts = ?, claim = null, last_error = ?"
				+ " where id = ? and claim = ?";
		this.exhausted = "select id, endpoint, type, attempts, last_error, created_at from " + table
				+ " where state = 'EXHAUSTED' order by next_attempt_at, id limit ?";
		this.retry = "update " + table + " set state = 'PENDING', attempts = 0, next_attempt_at = ?, claim = null"
				+ " where id = ? and state = 'EXHAUSTED'";
	}

	/**
	 * Writes a notification due now, in the caller's transaction; false where one of that
	 * id exists (or is being written by a transaction not yet ended, which this one waits
	 * for).
	 */
	boolean insert(String id, String endpoint, String type, String payload) {
		Timestamp now = now();
		return this.insert.insert(id, endpoint, type, payload, now, now);
	}

	/**
	 * The due rows, oldest due first, locked until the caller's transaction ends; rows of
	 * the given endpoints left out.
	 */
	List<DueNotification> lockDue(Collection<String> skippedEndpoints, int limit) {
		String notIn = skippedEndpoints.isEmpty() ? ""
				: " and endpoint not in (" + String.join(", ", Collections.nCopies(skippedEndpoints.size(), "?")) + ")";
		Object[] arguments = new Object[skippedEndpoints.size() + 2];
		arguments[0] = now();
		int i = 1;
		for (String endpoint : skippedEndpoints) {
			arguments[i++] = endpoint;
		}
		arguments[i] = limit;
		return jdbc().query(this.due.formatted(notIn), (rs, row) -> new DueNotification(rs.getString(1),
				rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getTimestamp(6).toInstant()),
				arguments);
	}

	/**
	 * Claims a due row for {@code lease}: no dispatcher sees it due before then, unless the
	 * outcome is recorded first. False where it was no longer due.
	 */
	boolean claim(String id, String claim, Instant leaseEnd) {
		return jdbc().update(this.claim, Timestamp.from(leaseEnd), claim, id, now()) == 1;
	}

	/**
	 * Records a delivery; false where the claim was lost (its lease ran out and another
	 * dispatcher took the row).
	 */
	boolean markDelivered(ClaimedNotification notification) {
		return jdbc().update(this.delivered, notification.attempts() + 1, now(), notification.id(),
				notification.claim()) == 1;
	}

	/**
	 * Records a failed attempt, tried again at {@code nextAttemptAt}.
	 */
	boolean markFailed(ClaimedNotification notification, Instant nextAttemptAt, String error) {
		return jdbc().update(this.failed, notification.attempts() + 1, Timestamp.from(nextAttemptAt),
				truncate(error), notification.id(), notification.claim()) == 1;
	}

	/**
	 * Records the last attempt of the schedule as failed: the notification is exhausted.
	 */
	boolean markExhausted(ClaimedNotification notification, String error) {
		return jdbc().update(this.exhaust, notification.attempts() + 1, truncate(error), notification.id(),
				notification.claim()) == 1;
	}

	List<ExhaustedNotification> exhausted(int limit) {
		return jdbc().query(this.exhausted, (rs, row) -> new ExhaustedNotification(rs.getString(1),
				rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getTimestamp(6).toInstant()),
				limit);
	}

	/**
	 * Makes an exhausted notification due now with its attempts reset; false where there
	 * is no exhausted notification of that id.
	 */
	boolean retry(String id) {
		return jdbc().update(this.retry, now(), id) == 1;
	}

	Instant instant() {
		return clock().instant();
	}

	private static String truncate(@Nullable String error) {
		String text = (error != null) ? error : "";
		return (text.length() <= 1000) ? text : text.substring(0, 1000);
	}

	/**
	 * A due row.
	 *
	 * @param id the notification's id
	 * @param endpoint the name of the endpoint it goes to
	 * @param type its type
	 * @param payload its payload as JSON
	 * @param attempts how many attempts failed so far
	 * @param createdAt when it was written
	 */
	record DueNotification(String id, String endpoint, String type, String payload, int attempts,
			Instant createdAt) {

		ClaimedNotification claimedAs(String claim) {
			return new ClaimedNotification(this, claim);
		}

	}

	/**
	 * A row claimed for one attempt.
	 *
	 * @param notification the row
	 * @param claim the token of the claim, which the outcome must match
	 */
	record ClaimedNotification(DueNotification notification, String claim) {

		String id() {
			return this.notification.id();
		}

		int attempts() {
			return this.notification.attempts();
		}

	}

}
