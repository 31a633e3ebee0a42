package io.dtx.coordinator;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.dtx.core.ErrorText;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;


/**
 * The coordinator's log: one row per global transaction started in this service. A
 * decision is a compare-and-set on the row's state, so the thread that runs a transaction
 * and the recovery of another instance can never both decide it.
 */
public class GlobalTransactionLog extends TableStore {

	private final InsertIfAbsent insertIfAbsent;

	private final String decide;

	private final String state;

	private final String lockedState;

	private final String findDue;

	private final String claim;

	private final String retryLater;

	private final String deleteFinished;

	private final String inState;

	private final String entry;

	private final String count;

	private final String restate;

	public GlobalTransactionLog(DtxTables tables) {
		super(tables, "global_transaction");
		String columns = "xid, mode, name, state, deadline, attempts, next_attempt_at, created_at, updated_at";
		String values = "?, ?, ?, ?, ?, 0, ?, ?, ?";
		this.insertIfAbsent = insertIfAbsent(columns, values);
		this.decide = "update " + table()
				+ " set state = ?, next_attempt_at = ?, lease_owner = null, lease_until = null, updated_at = ?"
				+ " where xid = ? and state = ?";
		this.state = "select state from " + table() + " where xid = ?";
		this.lockedState = this.state + " " + tables.vendor().shareLock();
		this.findDue = "select xid, mode, name, state, deadline, attempts, last_error from " + table()
				+ " where state in ('TRYING', 'CONFIRMING', 'CANCELLING') and next_attempt_at <= ?"
				+ " order by next_attempt_at";
		this.claim = "update " + table() + " set lease_owner = ?, lease_until = ?"
				+ " where xid = ? and state = ? and (lease_until is null or lease_until < ? or lease_owner = ?)";
		this.retryLater = "update " + table() + " set attempts = ?, next_attempt_at = ?, last_error = ?,"
				+ " lease_owner = null, lease_until = null, updated_at = ? where xid = ?"
				+ " and (lease_owner = ? or lease_owner is null)";
		this.deleteFinished = "delete from " + table()
				+ " where state in ('CONFIRMED', 'CANCELLED') and updated_at < ?";
		String entries = "select xid, mode, name, state, deadline, attempts, last_error from " + table();
		this.inState = entries + " where state = ? and mode = ? order by updated_at";
		this.entry = entries + " where xid = ?";
		this.count = "select count(*) from " + table() + " where state = ? and mode = ?";
		this.restate = "update " + table() + " set state = ?, attempts = ?, next_attempt_at = ?,"
				+ " last_error = coalesce(?, last_error), lease_owner = null, lease_until = null, updated_at = ?"
				+ " where xid = ? and state = ?";
	}

	/**
	 * Records a transaction that starts trying, in the caller's local transaction, unless
	 * it is recorded already; says whether this call recorded it, and so holds its row
	 * until the caller's transaction ends. Recovery looks at it once its deadline passed.
	 */
	public boolean beginIfAbsent(GlobalTransaction transaction) {
		Timestamp now = now();
		return this.insertIfAbsent.insert(transaction.xid(), transaction.mode(), transaction.name(),
				GlobalState.TRYING.name(), Timestamp.from(transaction.deadline()),
				Timestamp.from(transaction.deadline()), now, now);
	}

	/**
	 * Moves the transaction from one state to the next if it still is in the first, and
	 * says whether it did. Recovery looks at it again from {@code recoverAfter} on.
	 */
	public boolean decide(String xid, GlobalState from, GlobalState to, Instant recoverAfter) {
		return jdbc().update(this.decide, to.name(), Timestamp.from(recoverAfter), now(), xid, from.name()) == 1;
	}

	/**
	 * The state of the transaction, read under a share lock that holds off any decision
	 * until the caller's local transaction ends; {@code null} when it was not started here.
	 */
	public @Nullable GlobalState lockedState(String xid) {
		List<String> states = jdbc().queryForList(this.lockedState, String.class, xid);
		return states.isEmpty() ? null : GlobalState.valueOf(states.get(0));
	}

	/**
	 * The state of the transaction; {@code null} when it was never recorded here.
	 */
	public @Nullable GlobalState state(String xid) {
		List<String> states = jdbc().queryForList(this.state, String.class, xid);
		return states.isEmpty() ? null : GlobalState.valueOf(states.get(0));
	}

	/**
	 * Transactions that recovery should drive now: decided but unfinished, or undecided
	 * past their deadline.
	 */
	List<Entry> findDue(int limit) {
		return jdbc(limit).query(this.findDue, GlobalTransactionLog::entry, now());
	}

	/**
	 * The transactions of a mode in a state, those that changed first first.
	 */
	public List<Entry> inState(GlobalState state, String mode, int limit) {
		return jdbc(limit).query(this.inState, GlobalTransactionLog::entry, state.name(), mode);
	}

	/**
	 * How many transactions of a mode are in a state.
	 */
	public long count(GlobalState state, String mode) {
		Long count = jdbc().queryForObject(this.count, Long.class, state.name(), mode);
		return (count != null) ? count : 0;
	}

	/**
	 * The row of one transaction; {@code null} when it was never recorded here.
	 */
	public @Nullable Entry entry(String xid) {
		List<Entry> entries = jdbc().query(this.entry, GlobalTransactionLog::entry, xid);
		return entries.isEmpty() ? null : entries.get(0);
	}

	/**
	 * Moves the transaction from one state to the next, if it still is in the first, with
	 * the count of attempts made at it set: how a mode gives up after its last
	 * attempt, and taken up again (at once, from zero) by hand. {@code failure} is why
	 * the last attempt failed; {@code null} keeps what was recorded. Says whether it moved.
	 */
	public boolean restate(String xid, GlobalState from, GlobalState to, int attempts, @Nullable Throwable failure) {
		Timestamp now = now();
		return jdbc().update(this.restate, to.name(), attempts, now, (failure != null) ? ErrorText.of(failure) : null,
				now, xid, from.name()) == 1;
	}

	private static Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
				GlobalState.valueOf(rs.getString(4)), rs.getTimestamp(5).toInstant(), rs.getInt(6), rs.getString(7));
	}

	/**
	 * Takes (or renews) the lease of a transaction in the given state, unless another
	 * owner holds it.
	 */
	boolean claim(Entry entry, String owner, Instant leaseUntil) {
		return jdbc().update(this.claim, owner, Timestamp.from(leaseUntil), entry.xid(), entry.state().name(),
				now(), owner) == 1;
	}

	/**
	 * Records why an attempt failed, gives the lease back and asks recovery to try again
	 * at {@code nextAttemptAt}; also where the failed attempt had decided the transaction,
	 * which let go of the lease.
	 */
	public void retryLater(Entry entry, String owner, Instant nextAttemptAt, Throwable failure) {
		jdbc().update(this.retryLater, entry.attempts() + 1, Timestamp.from(nextAttemptAt), ErrorText.of(failure),
				now(), entry.xid(), owner);
	}

	/**
	 * Deletes the transactions that finished before {@code before}; returns how many.
	 */
	int deleteFinishedBefore(Instant before) {
		return jdbc().update(this.deleteFinished, Timestamp.from(before));
	}

	/**
	 * A row of the log.
	 *
	 * @param xid the global transaction id
	 * @param mode the name of its mode
	 * @param name its name
	 * @param state its state
	 * @param deadline when it should be decided
	 * @param attempts how many attempts at finishing it failed
	 * @param lastError why the last failed attempt failed (see {@link ErrorText});
	 * {@code null} where none did
	 */
	public record Entry(String xid, String mode, String name, GlobalState state, Instant deadline,
			int attempts, @Nullable String lastError) {

	}

}
