package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import io.dtx.core.ErrorText;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * The notification table. The insert runs in the caller's business transaction; a claim
 * in a short transaction of the dispatcher's; the outcome of a send with none, after it.
 */
final class NotificationStore extends TableStore {

	private static final RowMapper<DueNotification> DUE = (rs, row) -> new DueNotification(rs.getString(1),
			rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getTimestamp(6).toInstant());

	private final InsertIfAbsent insert;

	private final String due;

	private final String dueOfEndpoint;

	private final String claim;

	private final String delivered;

	private final String failed;

	private final String exhaust;

	private final String exhausted;

	private final String retry;

	private final String one;

	private final String page;

	private final String backlog;

	private final String deleteDelivered;

	NotificationStore(DtxTables tables) {
		super(tables, "notification");
		String table = table();
		this.insert = insertIfAbsent("id, endpoint, type, payload, state, attempts, next_attempt_at, created_at",
				"?, ?, ?, ?, 'PENDING', 0, ?, ?");
		// locked rows are another dispatcher's claim in progress: passed over where the vendor can
		this.due = "select id, endpoint, type, payload, attempts, created_at from " + table + " where state = 'PENDING' and next_attempt_at <= ?%s"
				+ " order by next_attempt_at limit ? for update" + tables.vendor().skipLocked();
		this.dueOfEndpoint = "select id, endpoint, type, payload, attempts, created_at from " + table
				+ " where endpoint = ? and state = 'PENDING' and next_attempt_at <= ? order by next_attempt_at limit 1"
				+ " for update" + tables.vendor().skipLocked();
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
		String listed = "select id, type, payload, state, created_at from " + table;
		this.one = listed + " where id = ? and endpoint = ?";
		// by (endpoint, created_at, id): a page starts where the cursor of the last ended
		this.page = listed + " where endpoint = ? and created_at >= ? and (created_at > ? or (created_at = ? and id > ?))"
				+ " order by created_at, id limit ?";
		this.backlog = "select sum(case when state = 'PENDING' then 1 else 0 end),"
				+ " sum(case when state = 'EXHAUSTED' then 1 else 0 end),"
				+ " min(case when state = 'PENDING' then created_at end) from " + table
				+ " where state in ('PENDING', 'EXHAUSTED')";
		this.deleteDelivered = "delete from " + table + " where delivered_at < ? and state = 'DELIVERED'";
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
		return jdbc().query(this.due.formatted(notIn), DUE, arguments);
	}

	/**
	 * The endpoint's due row that is due first, locked until the caller's transaction ends;
	 * {@code null} where none is due (or every due one is locked by another claim).
	 */
	@Nullable DueNotification lockNextDue(String endpoint) {
		List<DueNotification> due = jdbc().query(this.dueOfEndpoint, DUE, endpoint, now());
		return due.isEmpty() ? null : due.get(0);
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
				ErrorText.fit((error != null) ? error : ""), notification.id(), notification.claim()) == 1;
	}

	/**
	 * Records the last attempt of the schedule as failed: the notification is exhausted.
	 */
	boolean markExhausted(ClaimedNotification notification, String error) {
		return jdbc().update(this.exhaust, notification.attempts() + 1, ErrorText.fit((error != null) ? error : ""), notification.id(),
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

	/**
	 * The notification of that id for that endpoint, {@code null} where there is none.
	 */
	@Nullable ListedNotification find(String id, String endpoint) {
		List<ListedNotification> found = jdbc().query(this.one, NotificationStore::listed, id, endpoint);
		return found.isEmpty() ? null : found.get(0);
	}

	/**
	 * The endpoint's notifications written at or after {@code since} and after
	 * {@code after}, in the order of their creation: {@code limit} of them at most.
	 */
	List<ListedNotification> page(String endpoint, Instant since, Position after, int limit) {
		Timestamp afterTime = Timestamp.from(after.createdAt());
		return jdbc().query(this.page, NotificationStore::listed, endpoint, Timestamp.from(since), afterTime,
				afterTime, after.id(), limit);
	}

	private static ListedNotification listed(ResultSet rs, int row) throws SQLException {
		return new ListedNotification(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
				rs.getTimestamp(5).toInstant());
	}

	Backlog backlog() {
		return jdbc().queryForObject(this.backlog, (rs, row) -> {
			Timestamp oldest = rs.getTimestamp(3);
			return new Backlog(rs.getLong(1), rs.getLong(2), (oldest != null) ? oldest.toInstant() : null);
		});
	}

	/**
	 * Deletes the notifications delivered before {@code before}; returns how many.
	 */
	int deleteDeliveredBefore(Instant before) {
		return jdbc().update(this.deleteDelivered, Timestamp.from(before));
	}

	Instant instant() {
		return clock().instant();
	}

	/**
	 * Where a listing of an endpoint's notifications stands: after the notification of
	 * that creation time and id.
	 *
	 * @param createdAt the creation time of the last notification listed
	 * @param id its id
	 */
	record Position(Instant createdAt, String id) {

		/**
		 * Before every notification.
		 */
		static final Position START = new Position(Instant.EPOCH, "");

		/**
		 * The position as the query hands it out: opaque to the receiver.
		 */
		String cursor() {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString((this.createdAt + " " + this.id).getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * The position a cursor holds.
		 * @throws IllegalArgumentException where it holds none
		 */
		static Position ofCursor(String cursor) {
			try {
				String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
				int space = text.indexOf(' ');
				return new Position(Instant.parse(text.substring(0, Math.max(space, 0))), text.substring(space + 1));
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException("Not a cursor of this query: '" + cursor + "'", ex);
			}
		}

	}

	/**
	 * A notification as the query lists it.
	 *
	 * @param id its id
	 * @param type its type
	 * @param payload its payload as JSON
	 * @param state PENDING, DELIVERED or EXHAUSTED
	 * @param createdAt when it was written
	 */
	record ListedNotification(String id, String type, String payload, String state, Instant createdAt) {

		Position position() {
			return new Position(this.createdAt, this.id);
		}

	}

	/**
	 * The notifications not delivered.
	 *
	 * @param pending how many wait for an attempt or are being attempted
	 * @param exhausted how many ran out of attempts
	 * @param oldestPending when the oldest pending one was written, {@code null} if none is
	 */
	record Backlog(long pending, long exhausted, @Nullable Instant oldestPending) {

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
