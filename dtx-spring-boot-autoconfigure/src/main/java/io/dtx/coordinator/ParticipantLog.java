package io.dtx.coordinator;

import java.sql.Timestamp;
import java.util.List;

import io.dtx.core.BranchIds;
import io.dtx.core.Participant;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.TableStore;


/**
 * The services a global transaction called, each recorded before the call goes out, so
 * that phase two reaches a callee even when the call itself timed out.
 */
public class ParticipantLog extends TableStore {

	private final String insert;

	private final String pending;

	private final String complete;

	private final String deleteDone;

	public ParticipantLog(DtxTables tables) {
		super(tables, "participant");
		this.insert = "insert into " + table()
				+ " (xid, branch_id, url, state, created_at, updated_at) values (?, ?, ?, 'PENDING', ?, ?)";
		this.pending = "select branch_id, url, created_at from " + table() + " where xid = ? and state = 'PENDING'";
		this.complete = "update " + table() + " set state = 'DONE', updated_at = ? where xid = ? and branch_id = ?";
		this.deleteDone = "delete from " + table() + " where state = 'DONE' and updated_at < ?";
	}

	public void register(String xid, Participant participant) {
		Timestamp now = now();
		jdbc().update(this.insert, xid, participant.branchId(), participant.url(), now, now);
	}

	/**
	 * The participants of the transaction not yet completed whose branch lies directly
	 * under {@code parentBranch} ({@code null} for the transaction's own).
	 */
	public List<Participant> pending(String xid, @org.jspecify.annotations.Nullable String parentBranch) {
		return pendingCalls(xid, parentBranch).stream().map(Call::participant).toList();
	}

	/**
	 * Like {@link #pending}, with the time each call was recorded.
	 */
	List<Call> pendingCalls(String xid, @org.jspecify.annotations.Nullable String parentBranch) {
		return jdbc()
			.query(this.pending, (rs, row) -> new Call(new Participant(rs.getString(1), rs.getString(2)),
					rs.getTimestamp(3).toInstant()), xid)
			.stream()
			.filter((call) -> BranchIds.isDirectChild(call.participant().branchId(), parentBranch))
			.toList();
	}

	public void completed(String xid, Participant participant) {
		jdbc().update(this.complete, now(), xid, participant.branchId());
	}

	/**
	 * Deletes the participants completed before {@code before}; returns how many.
	 */
	int deleteDoneBefore(java.time.Instant before) {
		return jdbc().update(this.deleteDone, Timestamp.from(before));
	}

	/**
	 * A participant and when the call to it was recorded.
	 */
	record Call(Participant participant, java.time.Instant calledAt) {

	}

}
