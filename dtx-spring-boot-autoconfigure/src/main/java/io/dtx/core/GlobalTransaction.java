package io.dtx.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A global transaction as the thread that runs it sees it: its id and deadline, and the
 * local branches it has registered, whose arguments are kept so that phase two needs no
 * read of the fence.
 */
public final class GlobalTransaction {

	private static final HexFormat HEX = HexFormat.of();

	private final String xid;

	private final String mode;

	private final String name;

	private final Instant deadline;

	private final @Nullable String parentBranch;

	private final long startNanos = System.nanoTime();

	private final @Nullable String coordinatorUrl;

	private final List<LocalBranch> branches = Collections.synchronizedList(new ArrayList<>());

	private final List<Participant> participants = Collections.synchronizedList(new ArrayList<>());

	private final List<String> branchOrder = Collections.synchronizedList(new ArrayList<>());

	private volatile boolean recorded;

	private int branchCount;

	private int participantCount;

	/**
	 * A transaction that starts here: this service decides its outcome.
	 */
	public GlobalTransaction(String xid, String mode, String name, Instant deadline) {
		this(xid, mode, name, deadline, null, null);
	}

	private GlobalTransaction(String xid, String mode, String name, Instant deadline,
			@Nullable String parentBranch, @Nullable String coordinatorUrl) {
		this.xid = xid;
		this.mode = mode;
		this.name = name;
		this.deadline = deadline;
		this.parentBranch = parentBranch;
		this.coordinatorUrl = coordinatorUrl;
	}

	/**
	 * A transaction another service started and called this one in, under the branch it
	 * opened for it.
	 */
	public static GlobalTransaction joined(String xid, String mode, Instant deadline, String parentBranch,
			@Nullable String coordinatorUrl) {
		return new GlobalTransaction(xid, mode, "joined", deadline, parentBranch, coordinatorUrl);
	}

	/**
	 * A new global transaction id: 32 hex digits, unique without coordination.
	 */
	public static String newXid() {
		UUID uuid = UUID.randomUUID();
		return HEX.toHexDigits(uuid.getMostSignificantBits()) + HEX.toHexDigits(uuid.getLeastSignificantBits());
	}

	public String xid() {
		return this.xid;
	}

	/**
	 * The name of the transaction's mode.
	 */
	public String mode() {
		return this.mode;
	}

	public String name() {
		return this.name;
	}

	public Instant deadline() {
		return this.deadline;
	}

	/**
	 * Whether the coordinator log holds this transaction. It is written with the first
	 * branch that commits, or before the first call to another service; until then there
	 * is nothing durable to confirm or cancel.
	 */
	public boolean isRecorded() {
		return this.recorded;
	}

	public void markRecorded() {
		this.recorded = true;
	}

	/**
	 * How long ago the transaction started, by this JVM's monotonic clock.
	 */
	public java.time.Duration age() {
		return java.time.Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

	/**
	 * The branch of the caller this service runs under; {@code null} where the
	 * transaction started here.
	 */
	public @Nullable String parentBranch() {
		return this.parentBranch;
	}

	/**
	 * The base URL of the service that decides the outcome; {@code null} where the
	 * transaction started here.
	 */
	public @Nullable String coordinatorUrl() {
		return this.coordinatorUrl;
	}

	/**
	 * Opens a branch for a service about to be called, whose phase-two endpoint is
	 * {@code url}.
	 */
	public synchronized Participant addParticipant(String url) {
		Participant participant = new Participant(
				BranchIds.child(this.parentBranch, "r", ++this.participantCount), url);
		this.participants.add(participant);
		this.branchOrder.add(participant.branchId());
		return participant;
	}

	/**
	 * The services called, in the order they were.
	 */
	public List<Participant> participants() {
		synchronized (this.participants) {
			return List.copyOf(this.participants);
		}
	}

	/**
	 * Registers a local branch before it runs, so that it is cancelled even if its try
	 * fails half-way; returns its id.
	 */
	public synchronized LocalBranch addBranch(String action, Object[] arguments) {
		LocalBranch branch = new LocalBranch(BranchIds.child(this.parentBranch, "b", ++this.branchCount), action,
				arguments);
		this.branches.add(branch);
		this.branchOrder.add(branch.branchId());
		return branch;
	}

	/**
	 * The local branches in the order they were registered.
	 */
	public List<LocalBranch> branches() {
		synchronized (this.branches) {
			return List.copyOf(this.branches);
		}
	}

	/**
	 * The ids of the local branches and of the services called, in the order they were
	 * opened: the order to undo them in is its reverse.
	 */
	public List<String> branchOrder() {
		synchronized (this.branchOrder) {
			return List.copyOf(this.branchOrder);
		}
	}

	@Override
	public String toString() {
		return this.mode + " " + this.name + " " + this.xid;
	}

	/**
	 * A branch run in this service: its id, unique within the global transaction, its
	 * action as {@code bean#name}, the arguments it ran with, and what it
	 * returned once it committed.
	 */
	public static final class LocalBranch {

		private final String branchId;

		private final String action;

		private final Object[] arguments;

		private volatile @Nullable Object result;

		LocalBranch(String branchId, String action, Object[] arguments) {
			this.branchId = branchId;
			this.action = action;
			this.arguments = arguments;
		}

		public String branchId() {
			return this.branchId;
		}

		public String action() {
			return this.action;
		}

		public Object[] arguments() {
			return this.arguments;
		}

		public @Nullable Object result() {
			return this.result;
		}

		public void result(@Nullable Object result) {
			this.result = result;
		}

	}

}
