package io.dtx.fence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.dtx.core.BranchIds;
import io.dtx.core.GlobalTransaction;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;
import org.jspecify.annotations.Nullable;


/**
 * The fence of the branches run in this database. Every call runs inside the caller's
 * local transaction, the one that holds the branch's business change, and tells whether
 * that change may happen:
 * <ul>
 * <li>a try inserts its row as TRIED, unless a cancel came first and left a CANCELLED row
 * (suspension: the try is refused);</li>
 * <li>a confirm moves TRIED to CONFIRMED, once;</li>
 * <li>a cancel inserts a CANCELLED row when there is none (empty rollback: nothing to
 * undo, and a late try is refused), else moves TRIED to CANCELLED, once.</li>
 * </ul>
 * No step reads before it writes: two racing calls meet on the primary key, where the
 * database makes one wait for the other, so no isolation level lets both through and
 * none deadlocks on a gap lock.
 */
public class BranchFence extends TableStore {

	/**
	 * The action of the row that stands for a branch another service opened here.
	 */
	public static final String REMOTE_BRANCH = "remote";

	private final InsertIfAbsent insert;

	private final String state;

	private final String lockedState;

	private final String transition;

	private final String tried;

	private final String inDoubt;

	private final String touch;

	private final String deleteFinished;

	private final String deleteOfActions;

	private final String result;

	private final String confirmOwn;

	private final String all;

	public BranchFence(DtxTables tables) {
		super(tables, "branch_fence");
		String columns = "xid, branch_id, action, arguments, state, created_at, updated_at";
		String values = "?, ?, ?, ?, ?, ?, ?";
		this.insert = insertIfAbsent(columns, values);
		this.state = "select state from " + table() + " where xid = ? and branch_id = ?";
		this.lockedState = this.state + " " + tables.vendor().shareLock();
		this.transition = "update " + table() + " set state = ?, updated_at = ? where xid = ? and branch_id = ?"
				+ " and state = ?";
		this.tried = "select branch_id, action, arguments, result, created_at from " + table()
				+ " where xid = ? and state = ? order by created_at desc, branch_id desc";
		this.inDoubt = "select xid, branch_id, arguments from " + table()
				+ " where state = ? and action = ? and updated_at < ? order by updated_at";
		this.touch = "update " + table() + " set updated_at = ? where xid = ? and branch_id = ? and state = ?";
		this.deleteFinished = "delete from " + table()
				+ " where state in ('CONFIRMED', 'CANCELLED') and updated_at < ?";
		this.deleteOfActions = "delete from " + table() + " where action like ? and updated_at < ?";
		this.result = "update " + table() + " set result = ? where xid = ? and branch_id = ?";
		// the transaction's own branches: ids without a dot, rows of other services' branches excluded
		this.confirmOwn = "update " + table() + " set state = ?, updated_at = ? where xid = ? and state = ?"
				+ " and action <> '" + REMOTE_BRANCH + "' and branch_id not like '%.%'";
		this.all = "select branch_id, action, state, arguments, result, created_at, updated_at from " + table()
				+ " where xid = ? order by created_at, branch_id";
	}

	/**
	 * Enters a try: {@link TryOutcome#RUN} when its business change may run.
	 */
	public TryOutcome enterTry(String xid, String branchId, String action, String arguments) {
		if (insert(xid, branchId, action, arguments, BranchState.TRIED)) {
			return TryOutcome.RUN;
		}
		return (currentState(xid, branchId) == BranchState.CANCELLED) ? TryOutcome.REFUSED : TryOutcome.ALREADY_TRIED;
	}

	/**
	 * Keeps what a branch's own work returned next to its arguments, in the branch's
	 * local transaction, for its phase two to take.
	 */
	public void recordResult(String xid, String branchId, String result) {
		jdbc().update(this.result, result, xid, branchId);
	}

	/**
	 * Marks every tried branch the transaction ran itself as confirmed, in one statement,
	 * running nothing: for a mode whose branches have no confirm of their own; returns
	 * how many.
	 */
	public int markOwnBranchesConfirmed(String xid) {
		return jdbc().update(this.confirmOwn, BranchState.CONFIRMED.name(), now(), xid, BranchState.TRIED.name());
	}

	/**
	 * Enters a confirm: true when its business change may run, false when it ran before.
	 */
	public boolean enterConfirm(String xid, String branchId) {
		return move(xid, branchId, BranchState.TRIED, BranchState.CONFIRMED);
	}

	/**
	 * Enters a cancel: {@link CancelOutcome#RUN} when the try's change must be undone.
	 */
	public CancelOutcome enterCancel(String xid, String branchId, String action) {
		if (insert(xid, branchId, action, null, BranchState.CANCELLED)) {
			return CancelOutcome.EMPTY;
		}
		return move(xid, branchId, BranchState.TRIED, BranchState.CANCELLED) ? CancelOutcome.RUN
				: CancelOutcome.ALREADY_DONE;
	}

	/**
	 * Enters a try that runs under a branch another service opened here: its row is
	 * written at the first try and held under a share lock, which holds off a phase two
	 * of that branch until the try's local transaction ends. {@link TryOutcome#REFUSED}
	 * once phase two of the branch has begun.
	 */
	public TryOutcome enterUnderRemoteBranch(GlobalTransaction joined) {
		String xid = joined.xid();
		String remoteBranchId = joined.parentBranch();
		if (remoteBranchId == null) {
			throw new IllegalArgumentException(joined + " was not joined from another service");
		}
		if (insert(xid, remoteBranchId, REMOTE_BRANCH, RemoteBranch.origin(joined), BranchState.TRIED)) {
			return TryOutcome.RUN;
		}
		List<String> states = jdbc().queryForList(this.lockedState, String.class, xid, remoteBranchId);
		return (!states.isEmpty() && BranchState.valueOf(states.get(0)) == BranchState.TRIED) ? TryOutcome.RUN
				: TryOutcome.REFUSED;
	}

	/**
	 * Branches other services opened here that are tried and not completed, and were last
	 * looked at before {@code touchedBefore}: those whose coordinator may have forgotten
	 * to call back.
	 */
	public List<RemoteBranch> inDoubt(Instant touchedBefore, int limit) {
		return jdbc(limit).query(this.inDoubt,
				(rs, row) -> RemoteBranch.parse(rs.getString(1), rs.getString(2), rs.getString(3)),
				BranchState.TRIED.name(), REMOTE_BRANCH, Timestamp.from(touchedBefore));
	}

	/**
	 * Notes that an in-doubt branch was looked at now, so that it is looked at again only
	 * later.
	 */
	public void touch(String xid, String branchId) {
		jdbc().update(this.touch, now(), xid, branchId, BranchState.TRIED.name());
	}

	/**
	 * Deletes the rows of branches completed before {@code before}, the marks left by
	 * empty rollbacks included; returns how many. Kept long enough, such a mark has long
	 * outlived any try that could still arrive.
	 */
	public int deleteFinishedBefore(Instant before) {
		return jdbc().update(this.deleteFinished, Timestamp.from(before));
	}

	/**
	 * Deletes the rows, tried or finished, of the branches whose action starts with
	 * {@code actionPrefix} and that last changed before {@code before}; returns how many. For
	 * a mode whose tried branches no phase two finishes (one that only a late cancel would
	 * undo): its retention, once no cancel can come any more.
	 */
	public int deleteOfActionsBefore(String actionPrefix, Instant before) {
		return jdbc().update(this.deleteOfActions, actionPrefix + "%", Timestamp.from(before));
	}

	/**
	 * Starts phase two of a branch another service opened here. From then on no try is
	 * accepted under it; a cancel that finds no row leaves one that refuses late tries.
	 */
	public void enterRemotePhaseTwo(String xid, String remoteBranchId, boolean confirm) {
		if (confirm) {
			move(xid, remoteBranchId, BranchState.TRIED, BranchState.CONFIRMED);
		}
		else {
			enterCancel(xid, remoteBranchId, REMOTE_BRANCH);
		}
	}

	/**
	 * The branches run here that lie directly under {@code parentBranch} ({@code null}
	 * for the transaction's own) and were tried and are not finished, latest first.
	 */
	public List<TriedBranch> tried(String xid, @Nullable String parentBranch) {
		return jdbc()
			.query(this.tried, (rs, row) -> new TriedBranch(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getString(4), rs.getTimestamp(5).toInstant()), xid, BranchState.TRIED.name())
			.stream()
			.filter((branch) -> !REMOTE_BRANCH.equals(branch.action())
					&& BranchIds.isDirectChild(branch.branchId(), parentBranch))
			.toList();
	}

	/**
	 * Every branch of the transaction run here, finished or not, in the order entered.
	 */
	public List<FencedBranch> branches(String xid) {
		return jdbc().query(this.all, (rs, row) -> new FencedBranch(rs.getString(1), rs.getString(2), rs.getString(3),
				rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()), xid);
	}

	private boolean insert(String xid, String branchId, String action, @Nullable String arguments,
			BranchState state) {
		Timestamp now = now();
		return this.insert.insert(xid, branchId, action, arguments, state.name(), now, now);
	}

	private boolean move(String xid, String branchId, BranchState from, BranchState to) {
		return jdbc().update(this.transition, to.name(), now(), xid, branchId, from.name()) == 1;
	}

	private @Nullable BranchState currentState(String xid, String branchId) {
		List<String> states = jdbc().queryForList(this.state, String.class, xid, branchId);
		return states.isEmpty() ? null : BranchState.valueOf(states.get(0));
	}

	enum BranchState {

		TRIED, CONFIRMED, CANCELLED

	}

	/**
	 * What a try may do.
	 */
	public enum TryOutcome {

		/** Run the try. */
		RUN,

		/** The same branch was tried before: do nothing again. */
		ALREADY_TRIED,

		/** The branch was cancelled before its try arrived: refuse it. */
		REFUSED

	}

	/**
	 * What a cancel must do.
	 */
	public enum CancelOutcome {

		/** Undo the try. */
		RUN,

		/** The try never ran: nothing to undo. */
		EMPTY,

		/** The branch was cancelled (or confirmed) before: do nothing again. */
		ALREADY_DONE

	}

	/**
	 * A tried branch as its fence row holds it.
	 *
	 * @param branchId the branch
	 * @param action the action, as {@code bean#name}
	 * @param arguments the arguments of its try or forward step, as JSON
	 * @param result what its forward step returned, as JSON; {@code null} where it returned nothing to keep
	 * @param triedAt when it was tried
	 */
	public record TriedBranch(String branchId, String action, @Nullable String arguments, @Nullable String result,
			Instant triedAt) {

	}

}
