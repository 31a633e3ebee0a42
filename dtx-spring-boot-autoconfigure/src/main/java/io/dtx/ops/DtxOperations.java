package io.dtx.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantClient;
import io.dtx.coordinator.Recovery;
import io.dtx.core.GlobalState;
import io.dtx.core.Participant;
import io.dtx.fence.BranchFence;
import io.dtx.fence.FencedBranch;
import io.dtx.jdbc.DtxTables;
import org.jspecify.annotations.Nullable;

/**
 * What an operator reads and does, whatever the channel (the endpoint, the health
 * contributor, the gauges): the global transactions started here, and the work each mode
 * parked. Changes go through what dtx runs itself: {@link Recovery} for a transaction,
 * the mode's own front class for parked work. A transaction's detail spans services: each
 * service it called reports its own branches of it through the signed endpoint.
 */
public class DtxOperations {

	/**
	 * The name under which transactions are listed, beside the parked work.
	 */
	public static final String TRANSACTIONS = "transactions";

	private final @Nullable TransactionTable transactions;

	private final @Nullable GlobalTransactionLog log;

	private final @Nullable Recovery recovery;

	private final @Nullable BranchFence fence;

	private final @Nullable ParticipantClient participantClient;

	private final Map<String, ParkedWork> parked = new LinkedHashMap<>();

	/**
	 * @param tables dtx's tables
	 * @param log the coordinator's log; {@code null} where the coordinator is off (an
	 * outbox-only service), which leaves transactions out
	 * @param recovery the coordinator's recovery; {@code null} where it is off, which
	 * refuses retries and cancels of transactions
	 * @param fence the branch fence; {@code null} where the coordinator is off
	 * @param participantClient what asks the services a transaction called for their
	 * branches of it; {@code null} where this service calls none (no web layer), which
	 * leaves their reports out
	 * @param parked what the modes park
	 */
	public DtxOperations(DtxTables tables, @Nullable GlobalTransactionLog log, @Nullable Recovery recovery,
			@Nullable BranchFence fence, @Nullable ParticipantClient participantClient,
			List<? extends ParkedWork> parked) {
		this.transactions = (log != null) ? new TransactionTable(tables) : null;
		this.log = log;
		this.recovery = recovery;
		this.fence = fence;
		this.participantClient = participantClient;
		for (ParkedWork work : parked) {
			ParkedWork other = this.parked.putIfAbsent(work.name(), work);
			if (other != null || !work.name().matches("[a-z][a-z0-9]*(-[a-z0-9]+)*") || work.name().equals(TRANSACTIONS)) {
				throw new IllegalStateException("Parked work " + work.getClass().getName() + " is named '" + work.name()
						+ "': a name must be lower case words joined by dashes, not 'transactions', and unique");
			}
		}
	}

	/**
	 * Counts of everything, read now.
	 */
	public Summary summary() {
		Map<String, Long> counts = new LinkedHashMap<>();
		this.parked.forEach((name, work) -> counts.put(name, work.count()));
		TransactionTable.Counts c = (this.transactions != null) ? this.transactions.counts() : null;
		Transactions transactions = (c != null)
				? new Transactions(c.inFlight(), c.stuck(), c.recoveryBacklog(), c.failed(), c.oldestDeadlinePassed())
				: null;
		return new Summary(transactions, counts);
	}

	/**
	 * Whether transactions are here to read (the coordinator is on).
	 */
	public boolean hasTransactions() {
		return this.transactions != null;
	}

	/**
	 * One page of the transactions that pass the filter, newest first: {@code olderThan}
	 * keeps those started at least that long ago.
	 */
	public List<Transaction> transactions(@Nullable String mode, @Nullable GlobalState state, @Nullable String name,
			@Nullable Duration olderThan, int page, int size) {
		TransactionTable table = table();
		Instant startedBefore = (olderThan != null) ? table.clock().instant().minus(olderThan) : null;
		return table.page(new TransactionTable.Filter(mode, state, name, startedBefore), page, size);
	}

	/**
	 * One transaction with its branches and the services it called, each with the
	 * branches it reports (asked now, one service after another, each within
	 * {@code dtx.http.read-timeout}); {@code null} where it was never recorded here (or
	 * retention deleted it).
	 */
	public @Nullable TransactionDetail transaction(String xid) {
		TransactionTable table = table();
		Transaction transaction = table.row(xid);
		if (transaction == null) {
			return null;
		}
		GlobalTransactionLog.Entry entry = log().entry(xid);
		String lastError = (entry != null) ? entry.lastError() : null;
		List<FencedBranch> branches = (this.fence != null) ? this.fence.branches(xid) : List.of();
		List<CalledService> participants = table.participants(xid).stream().map((called) -> reported(xid, called)).toList();
		return new TransactionDetail(transaction, branches, participants, lastError);
	}

	private CalledService reported(String xid, CalledService called) {
		if (this.participantClient == null) {
			return called;
		}
		try {
			List<FencedBranch> reported = this.participantClient.branches(new Participant(called.branchId(), called.url()), xid)
				.stream()
				.filter((branch) -> branch.under(called.branchId()))
				.toList();
			return called.reported(reported, null);
		}
		catch (RuntimeException ex) {
			return called.reported(null, "not reported: " + ex);
		}
	}

	/**
	 * Has recovery drive a decided transaction's unfinished phase two now.
	 * @throws NoSuchElementException where it was never recorded here
	 * @throws IllegalStateException where it is not decided and unfinished, recovery is
	 * off or another instance holds it
	 */
	public String retry(String xid) {
		GlobalTransactionLog.Entry entry = entry(xid);
		if (entry.state() != GlobalState.CONFIRMING && entry.state() != GlobalState.CANCELLING) {
			throw new IllegalStateException(xid + " is " + entry.state() + ": only a decided transaction whose phase"
					+ " two is unfinished (CONFIRMING, CANCELLING) is retried here"
					+ ((entry.state() == GlobalState.FAILED) ? "; a failed saga is retried through failed-sagas" : ""));
		}
		return recover(entry);
	}

	/**
	 * Has recovery roll back an undecided transaction past its deadline, as it would on
	 * its next pass.
	 * @throws NoSuchElementException where it was never recorded here
	 * @throws IllegalStateException where it is decided, not past its deadline, recovery
	 * is off or another instance holds it
	 */
	public String cancel(String xid) {
		GlobalTransactionLog.Entry entry = entry(xid);
		if (entry.state() != GlobalState.TRYING) {
			throw new IllegalStateException(xid + " is " + entry.state() + ", decided already: only an undecided"
					+ " (TRYING) transaction is cancelled");
		}
		Instant now = table().clock().instant();
		if (!entry.deadline().isBefore(now)) {
			throw new IllegalStateException(xid + " is undecided before its deadline " + entry.deadline()
					+ ": the thread running it may still decide it");
		}
		return recover(entry);
	}

	/**
	 * The parked work of that name; {@code null} where no mode registered it.
	 */
	public @Nullable ParkedWork parked(String name) {
		return this.parked.get(name);
	}

	public List<ParkedWork> parkedWork() {
		return List.copyOf(this.parked.values());
	}

	private String recover(GlobalTransactionLog.Entry entry) {
		if (this.recovery == null) {
			throw new IllegalStateException("recovery is off here (dtx.recovery.enabled=false)");
		}
		if (!this.recovery.recoverNow(entry)) {
			throw new IllegalStateException(entry.xid() + " is held by another instance's recovery, or its mode "
					+ entry.mode() + " is not registered here");
		}
		GlobalState after = this.log().state(entry.xid());
		return "recovered, " + ((after != null) ? after : "deleted");
	}

	private GlobalTransactionLog.Entry entry(String xid) {
		GlobalTransactionLog.Entry entry = log().entry(xid);
		if (entry == null) {
			throw new NoSuchElementException("no transaction " + xid + " was recorded here");
		}
		return entry;
	}

	private TransactionTable table() {
		if (this.transactions == null) {
			throw new IllegalStateException("the coordinator is off here (dtx.coordinator.enabled=false)");
		}
		return this.transactions;
	}

	private GlobalTransactionLog log() {
		if (this.log == null) {
			throw new IllegalStateException("the coordinator is off here (dtx.coordinator.enabled=false)");
		}
		return this.log;
	}

	/**
	 * Counts of everything.
	 *
	 * @param transactions counts of the global transactions; {@code null} where the
	 * coordinator is off
	 * @param parked how many of each parked work, by its name
	 */
	public record Summary(@Nullable Transactions transactions, Map<String, Long> parked) {

	}

	/**
	 * Counts of the global transactions started here.
	 *
	 * @param inFlight not yet finished: undecided, or decided with phase two unfinished
	 * @param stuck in flight past their deadline
	 * @param recoveryBacklog in flight and due for recovery now
	 * @param failed given up on after their last attempt (failed sagas)
	 * @param oldestDeadlinePassed the earliest deadline of a transaction stuck past it
	 */
	public record Transactions(long inFlight, long stuck, long recoveryBacklog, long failed,
			@Nullable Instant oldestDeadlinePassed) {

	}

	/**
	 * A global transaction's row in the coordinator's log.
	 */
	public record Transaction(String xid, String mode, String name, GlobalState state, Instant deadline, int attempts,
			@Nullable Instant nextAttemptAt, @Nullable String leaseOwner, @Nullable Instant leaseUntil,
			Instant createdAt, Instant updatedAt) {

	}

	/**
	 * One transaction in detail.
	 *
	 * @param transaction its row
	 * @param branches its branches run here, with their fence states, arguments and
	 * results (JSON)
	 * @param participants the services it called, with the state of each call and the
	 * branches each reports
	 * @param lastError why its last failed attempt failed (recovery's, or a saga's
	 * compensation), as recorded with it
	 */
	public record TransactionDetail(Transaction transaction, List<FencedBranch> branches,
			List<CalledService> participants, @Nullable String lastError) {

	}

	/**
	 * A service a transaction called.
	 *
	 * @param branchId the branch opened for it
	 * @param url its phase-two base URL
	 * @param state the call's state in the participant log
	 * @param createdAt when it was called
	 * @param updatedAt when the call's state last changed
	 * @param reported the branches of the transaction it reports under {@code branchId}:
	 * the row that stands for the branch opened there (its state tells whether phase two
	 * arrived) and what ran under it; {@code null} where it was not asked or did not answer
	 * @param unreported why it did not report; {@code null} where it did
	 */
	public record CalledService(String branchId, String url, String state, Instant createdAt, Instant updatedAt,
			@Nullable List<FencedBranch> reported, @Nullable String unreported) {

		CalledService reported(@Nullable List<FencedBranch> branches, @Nullable String why) {
			return new CalledService(this.branchId, this.url, this.state, this.createdAt, this.updatedAt, branches, why);
		}

	}

}
