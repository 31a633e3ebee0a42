package io.dtx.ops;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.dtx.core.GlobalState;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;

/**
 * What an operator reads of the coordinator's tables: the global transactions, newest
 * first, and the services they called. Read only; every
 * change goes through recovery or a mode's own front class.
 */
final class TransactionTable extends TableStore {

	private static final String IN_FLIGHT = "('TRYING', 'CONFIRMING', 'CANCELLING')";

	private final String columns;

	private final String participants;

	private final String summary;

	TransactionTable(DtxTables tables) {
		super(tables, "global_transaction");
		this.columns = "select xid, mode, name, state, deadline, attempts, next_attempt_at, lease_owner, lease_until,"
				+ " created_at, updated_at from " + table();
		this.participants = "select branch_id, url, state, created_at, updated_at from " + tables.name("participant")
				+ " where xid = ? order by created_at, branch_id";
		// one pass over the rows not yet finished, found through the index led by the state
		this.summary = "select"
				+ " coalesce(sum(case when state in " + IN_FLIGHT + " then 1 else 0 end), 0),"
				+ " coalesce(sum(case when state in " + IN_FLIGHT + " and deadline < ? then 1 else 0 end), 0),"
				+ " coalesce(sum(case when state in " + IN_FLIGHT + " and next_attempt_at <= ? then 1 else 0 end), 0),"
				+ " coalesce(sum(case when state = 'FAILED' then 1 else 0 end), 0),"
				+ " min(case when state in " + IN_FLIGHT + " and deadline < ? then deadline end)"
				+ " from " + table() + " where state in ('TRYING', 'CONFIRMING', 'CANCELLING', 'FAILED')";
	}

	/**
	 * One page of the transactions that pass the filter, newest first.
	 */
	List<DtxOperations.Transaction> page(Filter filter, int page, int size) {
		StringBuilder sql = new StringBuilder(this.columns).append(" where 1 = 1");
		List<Object> args = new ArrayList<>();
		if (filter.mode() != null) {
			sql.append(" and mode = ?");
			args.add(filter.mode());
		}
		if (filter.state() != null) {
			sql.append(" and state = ?");
			args.add(filter.state().name());
		}
		if (filter.name() != null) {
			sql.append(" and name = ?");
			args.add(filter.name());
		}
		if (filter.startedBefore() != null) {
			sql.append(" and created_at <= ?");
			args.add(Timestamp.from(filter.startedBefore()));
		}
		// every vendor dtx supports reads limit/offset the same way
		sql.append(" order by created_at desc, xid desc limit ? offset ?");
		args.add(size);
		args.add((long) page * size);
		return jdbc().query(sql.toString(), TransactionTable::row, args.toArray());
	}

	DtxOperations.@Nullable Transaction row(String xid) {
		List<DtxOperations.Transaction> rows = jdbc().query(this.columns + " where xid = ?", TransactionTable::row, xid);
		return rows.isEmpty() ? null : rows.get(0);
	}

	List<DtxOperations.CalledService> participants(String xid) {
		return jdbc().query(this.participants, (rs, n) -> new DtxOperations.CalledService(rs.getString(1), rs.getString(2),
				rs.getString(3), instant(rs, 4), instant(rs, 5), null, null), xid);
	}

	Counts counts() {
		Timestamp now = now();
		return jdbc().queryForObject(this.summary, (rs, n) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3),
				rs.getLong(4), instantOrNull(rs, 5)), now, now, now);
	}

	private static DtxOperations.Transaction row(ResultSet rs, int n) throws SQLException {
		return new DtxOperations.Transaction(rs.getString(1), rs.getString(2), rs.getString(3), GlobalState.valueOf(rs.getString(4)),
				instant(rs, 5), rs.getInt(6), instantOrNull(rs, 7), rs.getString(8), instantOrNull(rs, 9),
				instant(rs, 10), instant(rs, 11));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		return rs.getTimestamp(column).toInstant();
	}

	private static @Nullable Instant instantOrNull(ResultSet rs, int column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * Which transactions to list; a {@code null} field lets every one pass.
	 */
	record Filter(@Nullable String mode, @Nullable GlobalState state, @Nullable String name,
			@Nullable Instant startedBefore) {

	}

	record Counts(long inFlight, long stuck, long recoveryBacklog, long failed, @Nullable Instant oldestDeadlinePassed) {

	}

}
