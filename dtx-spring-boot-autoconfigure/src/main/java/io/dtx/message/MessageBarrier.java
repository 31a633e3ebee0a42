package io.dtx.message;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.InsertIfAbsent;
import io.dtx.jdbc.TableStore;

import org.springframework.dao.DuplicateKeyException;

/**
 * The barrier rows of transactional messages, one per message id, in the database of the
 * local transactions. The local transaction inserts its row first thing; a check-back that
 * finds none inserts a rolled-back one. Both are inserts on one primary key, so whichever
 * comes second waits for the first to end and then loses: a check-back never answers
 * anything but what the database ends up holding, and a local transaction never commits
 * after a check-back answered that it rolled back.
 */
public class MessageBarrier extends TableStore {

	private final String enter;

	private final InsertIfAbsent rolledBack;

	private final String state;

	private final String deleteBefore;

	public MessageBarrier(DtxTables tables) {
		super(tables, "message_barrier");
		this.enter = "insert into " + table() + " (message_id, state, created_at) values (?, ?, ?)";
		this.rolledBack = insertIfAbsent("message_id, state, created_at", "?, ?, ?");
		this.state = "select state from " + table() + " where message_id = ?";
		this.deleteBefore = "delete from " + table() + " where created_at < ?";
	}

	/**
	 * Inserts the message's barrier in the caller's local transaction.
	 * @throws MessageRolledBackException where a check-back answered first that the message
	 * rolled back
	 */
	void enter(String messageId) {
		try {
			jdbc().update(this.enter, messageId, MessageState.COMMITTED.name(), now());
		}
		catch (DuplicateKeyException ex) {
			throw new MessageRolledBackException(messageId, ex);
		}
	}

	/**
	 * The answer to a check-back: {@link MessageState#COMMITTED} where the local
	 * transaction committed its barrier; else it leaves a rolled-back barrier, which waits
	 * for a local transaction still running to end first and keeps any later one from
	 * committing, and answers {@link MessageState#ROLLED_BACK}.
	 */
	public MessageState checkBack(String messageId) {
		if (this.rolledBack.insert(messageId, MessageState.ROLLED_BACK.name(), now())) {
			return MessageState.ROLLED_BACK;
		}
		List<String> states = jdbc().queryForList(this.state, String.class, messageId);
		// the row that kept ours out is there, committed: its insert ended before ours did
		return MessageState.valueOf(states.get(0));
	}

	/**
	 * Deletes the barriers written before {@code before}; returns how many. Kept longer than
	 * any check-back can come, a barrier has done its work.
	 */
	public int deleteBefore(Instant before) {
		return jdbc().update(this.deleteBefore, Timestamp.from(before));
	}

}
