package io.dtx.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A global transaction as the thread that runs it sees it: its id and deadline, and the
 * local branches it has registered, whose arguments are kept so that phase two needs no
 * read of the fence.
 */
public final class GlobalTransaction {

	private static final HexFormat HEX = HexFormat.of();

	private final Identity identity;

	private final long startNanos = System.nanoTime();

	// the three lists only grow, under the lock of this object
	private final List<LocalBranch> branches = new ArrayList<>();

	private final List<Participant> participants = new ArrayList<>();

	private final List<String> branchOrder = new ArrayList<>();

	private volatile boolean recorded;

	/**
	 * A transaction that starts here: this service decides its outcome.
	 */
	public GlobalTransaction(String xid, String mode, String name, Instant deadline) {
		this(new Identity(xid, mode, name, deadline, null, null));
	}

	private GlobalTransaction(Identity identity) {
		this.identity = identity;
	}

	/**
	 * A transaction another service started and called this one in, under the branch it
	 * opened for it.
	 */
	public static GlobalTransaction joined(String xid, String mode, Instant deadline, String parentBranch,
			@Nullable String coordinatorUrl) {
		return new GlobalTransaction(new Identity(xid, mode, "joined", deadline, parentBranch, coordinatorUrl));
	}

	/**
	 * A new global transaction id: 32 hex digits, unique without coordination.
	 */
	public static String newXid() {
		UUID uuid = UUID.randomUUID();
		return HEX.toHexDigits(uuid.getMostSignificantBits()) + HEX.toHexDigits(uuid.getLeastSignificantBits());
	}

	public String xid() {
		return this.identity.xid();
	}

	/**
	 * The name of the transaction's mode.
	 */
	public String mode() {
		return this.identity.mode();
	}

	public String name() {
		return this.identity.name();
	}

	public Instant deadline() {
		return this.identity.deadline();
	}

	/**
	 * The branch of the caller this service runs under; {@code null} where the
	 * transaction started here.
	 */
	public @Nullable String parentBranch() {
		return this.identity.parentBranch();
	}

	/**
	 * The base URL of the service that decides the outcome; {@code null} where the
	 * transaction started here.
	 */
	public @Nullable String coordinatorUrl() {
		return this.identity.coordinatorUrl();
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
	public Duration age() {
		return Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

	/**
	 * Opens a branch for a service about to be called, whose phase-two endpoint is
	 * {@code url}.
	 */
	public Participant addParticipant(String url) {
		return open(this.participants, "r", (branchId) -> new Participant(branchId, url));
	}

	/**
	 * Registers a local branch before it runs, so that it is cancelled even if its try
	 * fails half-way; returns it.
	 */
	public LocalBranch addBranch(String action, Object[] arguments) {
		return open(this.branches, "b", (branchId) -> new LocalBranch(branchId, action, arguments));
	}

	/**
	 * The services called, in the order they were.
	 */
	public synchronized List<Participant> participants() {
		return List.copyOf(this.participants);
	}

	/**
	 * The local branches in the order they were registered.
	 */
	public synchronized List<LocalBranch> branches() {
		return List.copyOf(this.branches);
	}

	/**
	 * The ids of the local branches and of the services called, in the order they were
	 * opened: the order to undo them in is its reverse.
	 */
	public synchronized List<String> branchOrder() {
		return List.copyOf(this.branchOrder);
	}

	// numbers a branch among those of its kind ("b" local, "r" remote) under this
	// service's parent branch, and keeps the order branches of both kinds open in
	private synchronized <B> B open(List<B> opened, String kind, Function<String, B> newBranch) {
		String branchId = BranchIds.child(this.identity.parentBranch(), kind, opened.size() + 1);
		B branch = newBranch.apply(branchId);
		opened.add(branch);
		this.branchOrder.add(branchId);
		return branch;
	}

	@Override
	public String toString() {
		return this.identity.mode() + " " + this.identity.name() + " " + this.identity.xid();
	}

	// what never changes once the transaction is begun or joined
	private record Identity(String xid, String mode, String name, Instant deadline, @Nullable String parentBranch,
			@Nullable String coordinatorUrl) {
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
