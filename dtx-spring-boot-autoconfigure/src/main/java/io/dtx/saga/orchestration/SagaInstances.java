package io.dtx.saga.orchestration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dtx.core.ErrorText;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The orchestrator's sagas, one row each, and their history, in the orchestrator's
 * database. Every change is made in the transaction of one transition, under the row lock
 * {@link #lock(String)} takes, so one saga is never driven by two transitions at once.
 */
public class SagaInstances extends TableStore {

	private final String insert;

	private final String lock;

	private final String update;

	private final String history;

	private final String nextSeq;

	private final String historyOf;

	private final String status;

	private final String overdue;

	private final String counts;

	private final String deleteHistories;

	private final String deleteFinished;

	private final String failed;

	private final String failedCount;

	public SagaInstances(DtxTables tables) {
		super(tables, "saga_instance");
		String historyTable = tables.name("saga_history");
		this.insert = "insert into " + table() + " (id, saga, state, status, step, command_id, attempts, due_at,"
				+ " last_error, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
		this.lock = "select id, saga, state, status, step, command_id, attempts, due_at, last_error from " + table()
				+ " where id = ? for update";
		this.update = "update " + table() + " set state = ?, status = ?, step = ?, command_id = ?, attempts = ?,"
				+ " due_at = ?, last_error = ?, updated_at = ? where id = ?";
		this.history = "insert into " + historyTable + " (saga_id, seq, step, event, detail, created_at)"
				+ " values (?, ?, ?, ?, ?, ?)";
		this.nextSeq = "select coalesce(max(seq), 0) + 1 from " + historyTable + " where saga_id = ?";
		this.historyOf = "select step, event, detail from " + historyTable + " where saga_id = ? order by seq";
		this.status = "select status from " + table() + " where id = ?";
		this.counts = "select saga, status, count(*) from " + table() + " group by saga, status";
		// FAILED is not finished: it waits for an operator
		String finishedBefore = " where status in ('COMPLETED', 'COMPENSATED', 'ABANDONED') and updated_at < ?";
		this.deleteHistories = "delete from " + historyTable + " where saga_id in (select id from " + table()
				+ finishedBefore + ")";
		this.deleteFinished = "delete from " + table() + finishedBefore;
		this.failed = "select id, saga, step, last_error, updated_at from " + table()
				+ " where status = 'FAILED' order by updated_at";
		this.failedCount = "select count(*) from " + table() + " where status = 'FAILED'";
		this.overdue = "select id from " + table() + " where status in ('RUNNING', 'COMPENSATING') and due_at <= ?"
				+ " order by due_at";
	}

	void insert(Instance instance) {
		Timestamp now = now();
		jdbc().update(this.insert, instance.id, instance.saga, instance.state, instance.status.name(), instance.step,
				instance.commandId, instance.attempts, timestamp(instance.dueAt), instance.lastError, now, now);
	}

	/**
	 * The saga, locked until the caller's transaction ends; {@code null} where there is none.
	 */
	@Nullable Instance lock(String id) {
		List<Instance> found = jdbc().query(this.lock, SagaInstances::instance, id);
		return found.isEmpty() ? null : found.get(0);
	}

	void update(Instance instance) {
		jdbc().update(this.update, instance.state, instance.status.name(), instance.step, instance.commandId,
				instance.attempts, timestamp(instance.dueAt), instance.lastError, now(), instance.id);
	}

	/**
	 * Adds to the saga's history, in the transaction that made it happen (which holds the
	 * saga's row lock, so the numbers follow one another).
	 */
	void record(String sagaId, String step, String event, @Nullable String detail) {
		Integer seq = jdbc().queryForObject(this.nextSeq, Integer.class, sagaId);
		jdbc().update(this.history, sagaId, seq, step, event, (detail != null) ? ErrorText.fit(detail) : null, now());
	}

	/**
	 * The saga's history, as "step event[: detail]", in order.
	 */
	List<String> history(String sagaId) {
		return jdbc().query(this.historyOf, (row, n) -> row.getString(1) + " " + row.getString(2)
				+ ((row.getString(3) != null) ? ": " + row.getString(3) : ""), sagaId);
	}

	/**
	 * Deletes the sagas that finished before {@code before}, and their histories; returns how
	 * many sagas. A history goes first: a pass cut off between the two leaves a saga without
	 * history, which the next pass deletes, never a history without its saga.
	 */
	int deleteFinishedBefore(Instant before) {
		jdbc().update(this.deleteHistories, Timestamp.from(before));
		return jdbc().update(this.deleteFinished, Timestamp.from(before));
	}

	/**
	 * The FAILED sagas, longest failed first, at most {@code limit}: id, name, step index,
	 * error and when it failed.
	 */
	List<Failed> failed(int limit) {
		return jdbc(limit).query(this.failed, (row, n) -> new Failed(row.getString(1), row.getString(2), row.getInt(3),
				row.getString(4), row.getTimestamp(5).toInstant()));
	}

	long failedCount() {
		Long count = jdbc().queryForObject(this.failedCount, Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * The sagas due for a look at {@code now}: a reply overdue, a compensation to send again.
	 * Read without locks: each is then locked and looked at again in a transaction of its own.
	 */
	List<String> overdue(Instant now, int limit) {
		return jdbc(limit).queryForList(this.overdue, String.class, Timestamp.from(now));
	}

	/**
	 * How many sagas of each name are in each status.
	 */
	Map<String, Map<SagaStatus, Long>> counts() {
		Map<String, Map<SagaStatus, Long>> counts = new HashMap<>();
		jdbc().query(this.counts, (RowCallbackHandler) (row) -> counts
			.computeIfAbsent(row.getString(1), (saga) -> new EnumMap<>(SagaStatus.class))
			.put(SagaStatus.valueOf(row.getString(2)), row.getLong(3)));
		return counts;
	}

	@Nullable SagaStatus status(String sagaId) {
		List<String> found = jdbc().queryForList(this.status, String.class, sagaId);
		return found.isEmpty() ? null : SagaStatus.valueOf(found.get(0));
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instance instance(ResultSet row, int rowNumber) throws SQLException {
		Timestamp due = row.getTimestamp("due_at");
		return new Instance(row.getString("id"), row.getString("saga"), row.getString("state"),
				SagaStatus.valueOf(row.getString("status")), row.getInt("step"), row.getString("command_id"),
				row.getInt("attempts"), (due != null) ? due.toInstant() : null, row.getString("last_error"));
	}

	/**
	 * One saga as its row holds it; a transition changes it and writes it back.
	 */
	static final class Instance {

		final String id;

		final String saga;

		String state;

		SagaStatus status;

		int step;

		@Nullable String commandId;

		int attempts;

		@Nullable Instant dueAt;

		@Nullable String lastError;

		Instance(String id, String saga, String state, SagaStatus status, int step, @Nullable String commandId,
				int attempts, @Nullable Instant dueAt, @Nullable String lastError) {
			this.id = id;
			this.saga = saga;
			this.state = state;
			this.status = status;
			this.step = step;
			this.commandId = commandId;
			this.attempts = attempts;
			this.dueAt = dueAt;
			this.lastError = lastError;
		}

	}

	/**
	 * A FAILED saga as its row holds it.
	 */
	record Failed(String id, String saga, int step, @Nullable String lastError, Instant failedAt) {

	}

}
