package io.dtx.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.dtx.core.ErrorText;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * The outbox table and its buckets. Every method runs in the caller's transaction: the
 * insert in the business transaction, the rest in the relay's.
 */
public class OutboxStore extends TableStore {

	/**
	 * How many buckets the keys are spread over, as seeded by the migration: at most this
	 * many relays work at once.
	 */
	public static final int BUCKETS = 16;

	// the updates after a batch go in chunks of this many ids, one prepared statement for all
	private static final int ID_CHUNK = 100;

	private final String insert;

	private final @Nullable String relaxCommit;

	private final String lockBuckets;

	private final String anyHeld;

	private final String due;

	private final String dueUnlessHeld;

	private final String markSent;

	private final String markFailed;

	private final String markDead;

	private final String dead;

	private final String retry;

	private final String discard;

	private final String pending;

	private final String deleteSent;

	public OutboxStore(DtxTables tables) {
		super(tables, "outbox");
		this.insert = "insert into " + table() + " (message_id, topic, message_key, bucket, payload, headers, state,"
				+ " attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)";
		this.relaxCommit = tables.vendor().relaxCommit();
		this.lockBuckets = "select bucket from " + tables.name("outbox_bucket") + " order by bucket for update"
				+ tables.vendor().skipLocked();
		String columns = "select o.id, o.message_id, o.topic, o.message_key, o.payload, o.headers, o.attempts from "
				+ table() + " o where o.state = 'PENDING' %s";
		this.anyHeld = "select count(*) from " + table() + " where state = 'DEAD' or (state = 'PENDING'"
				+ " and next_attempt_at > ?)";
		// nothing held back, the usual case: the oldest rows, read in the order of the index on
		// (state, id), which stops at the limit however long the backlog
		this.due = columns + " order by o.id limit ?";
		// a row is due unless an earlier row of its key is dead, or a row of its key waits for its
		// next attempt (a later one only where commits came out of id order: it waits a little)
		this.dueUnlessHeld = columns + " and o.next_attempt_at <= ? and not exists (select 1 from " + table()
				+ " b where b.state = 'DEAD' and b.topic = o.topic and b.message_key = o.message_key and b.id < o.id)"
				+ " and not exists (select 1 from " + table() + " w where w.state = 'PENDING' and w.topic = o.topic"
				+ " and w.message_key = o.message_key and w.next_attempt_at > ?) order by o.id limit ?";
		this.markSent = "update " + table() + " set state = 'SENT', sent_at = ? where id in ("
				+ String.join(", ", java.util.Collections.nCopies(ID_CHUNK, "?")) + ")";
		this.markFailed = "update " + table() + " set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?";
		this.markDead = "update " + table() + " set state = 'DEAD', attempts = ?, last_error = ? where id = ?";
		this.dead = "select id, message_id, topic, message_key, attempts, last_error, created_at from " + table()
				+ " where state = 'DEAD' order by id limit ?";
		this.retry = "update " + table() + " set state = 'PENDING', attempts = 0, next_attempt_at = ?"
				+ " where state = 'DEAD' and message_id = ?";
		this.discard = "delete from " + table() + " where state = 'DEAD' and message_id = ?";
		this.pending = "select count(*), min(created_at) from " + table() + " where state = 'PENDING'";
		this.deleteSent = "delete from " + table() + " where state = 'SENT' and sent_at < ?";
	}

	/**
	 * Writes a message, in the caller's transaction.
	 */
	void insert(String messageId, String topic, @Nullable String key, byte[] payload, String headers) {
		Timestamp now = now();
		jdbc().update(this.insert, messageId, topic, key, bucket(topic, key, messageId), payload, headers, now,
				now);
	}

	/**
	 * Lets the caller's transaction commit without waiting for the database's log to
	 * reach the disk, where the database can: a relay's marks lost in a crash of the
	 * database only send their messages again, which the inbox drops.
	 */
	void relaxCommit() {
		if (this.relaxCommit != null) {
			jdbc().execute(this.relaxCommit);
		}
	}

	/**
	 * Locks the buckets that no other relay holds, until the caller's transaction ends.
	 */
	List<Integer> lockBuckets() {
		return jdbc().queryForList(this.lockBuckets, Integer.class);
	}

	/**
	 * Whether any message is dead or waits for its next attempt, which holds back the
	 * later messages of its key.
	 */
	boolean anyHeld() {
		// the dead and waiting rows are few, found through an index led by the state
		Integer held = jdbc().queryForObject(this.anyHeld, Integer.class, now());
		return held != null && held > 0;
	}

	/**
	 * The rows of the given buckets that are due, oldest first; those held back by a
	 * dead or waiting message of their key are left out when {@code held} (see
	 * {@link #anyHeld()}).
	 */
	List<PendingMessage> due(List<Integer> buckets, boolean held, int limit) {
		String inBuckets = (buckets.size() == BUCKETS) ? ""
				: " and o.bucket in (" + buckets.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
		RowMapper<PendingMessage> rows = (rs, row) -> new PendingMessage(rs.getLong(1), rs.getString(2),
				rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getString(6), rs.getInt(7));
		if (!held) {
			return jdbc().query(this.due.formatted(inBuckets), rows, limit);
		}
		Timestamp now = now();
		return jdbc().query(this.dueUnlessHeld.formatted(inBuckets), rows, now, now, limit);
	}

	/**
	 * Marks rows the broker acknowledged.
	 */
	void markSent(List<Long> ids) {
		Timestamp now = now();
		List<Object[]> chunks = new ArrayList<>();
		for (int from = 0; from < ids.size(); from += ID_CHUNK) {
			Object[] arguments = new Object[ID_CHUNK + 1];
			arguments[0] = now;
			for (int i = 0; i < ID_CHUNK; i++) {
				// the last chunk repeats its last id, which changes nothing
				arguments[i + 1] = ids.get(Math.min(from + i, ids.size() - 1));
			}
			chunks.add(arguments);
		}
		jdbc().batchUpdate(this.markSent, chunks);
	}

	/**
	 * Records a failed attempt at a row: it is tried again at {@code nextAttemptAt}.
	 */
	void markFailed(long id, int attempts, Instant nextAttemptAt, String error) {
		jdbc().update(this.markFailed, attempts, Timestamp.from(nextAttemptAt), ErrorText.fit(error), id);
	}

	/**
	 * Parks a row that failed its last attempt.
	 */
	void markDead(long id, int attempts, String error) {
		jdbc().update(this.markDead, attempts, ErrorText.fit(error), id);
	}

	/**
	 * The dead messages, oldest first.
	 */
	List<DeadMessage> dead(int limit) {
		return jdbc().query(this.dead, (rs, row) -> new DeadMessage(rs.getLong(1), rs.getString(2), rs.getString(3),
				rs.getString(4), rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()), limit);
	}

	/**
	 * How many messages are dead.
	 */
	long deadCount() {
		Long count = jdbc().queryForObject("select count(*) from " + table() + " where state = 'DEAD'", Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Makes a dead message pending again, with its attempts reset; false if there is no
	 * dead message of that id.
	 */
	boolean retry(String messageId) {
		return jdbc().update(this.retry, now(), messageId) == 1;
	}

	/**
	 * Deletes a dead message, which lets the later messages of its key go; false if there
	 * is no dead message of that id.
	 */
	boolean discard(String messageId) {
		return jdbc().update(this.discard, messageId) == 1;
	}

	/**
	 * How many messages wait to be sent, and since when the oldest does.
	 */
	public Backlog backlog() {
		return jdbc().queryForObject(this.pending, (rs, row) -> {
			Timestamp oldest = rs.getTimestamp(2);
			return new Backlog(rs.getLong(1), (oldest != null) ? oldest.toInstant() : null);
		});
	}

	/**
	 * Deletes the rows sent before {@code before}; returns how many.
	 */
	int deleteSentBefore(Instant before) {
		return jdbc().update(this.deleteSent, Timestamp.from(before));
	}

	Instant instant() {
		return clock().instant();
	}

	// a key always falls in one bucket; a message without key anywhere
	static int bucket(String topic, @Nullable String key, String messageId) {
		int hash = (key != null) ? (topic + '\u0000' + key).hashCode() : messageId.hashCode();
		return Math.floorMod(hash, BUCKETS);
	}

	/**
	 * A row waiting to be sent.
	 *
	 * @param id its place in the order of the outbox
	 * @param messageId the id the record carries as a header
	 * @param topic the topic
	 * @param key the key, {@code null} for none
	 * @param payload the value
	 * @param headers the headers as JSON
	 * @param attempts how many attempts failed so far
	 */
	record PendingMessage(long id, String messageId, String topic, @Nullable String key, byte[] payload,
			String headers, int attempts) {

	}

	/**
	 * What waits to be sent.
	 *
	 * @param pending how many messages
	 * @param oldest when the oldest was written, {@code null} when none waits
	 */
	public record Backlog(long pending, @Nullable Instant oldest) {

	}

}
