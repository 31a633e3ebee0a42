package io.dtx.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A global transaction as the thread that runs it sees it: its id and deadline, and the
 * local branches it has registered, whose arguments are kept so that phase two needs no
 * read of the fence.
 */
public final class GlobalTransaction {

	private final String xid;

	private final TransactionMode mode;

	private final String name;

	private final Instant deadline;

	private final List<LocalBranch> branches = Collections.synchronizedList(new ArrayList<>());

	private int branchCount;

	public GlobalTransaction(String xid, TransactionMode mode, String name, Instant deadline) {
		this.xid = xid;
		this.mode = mode;
		this.name = name;
		this.deadline = deadline;
	}

	/**
	 * A new global transaction id: 32 hex digits, unique without coordination.
	 */
	public static String newXid() {
		UUID uuid = UUID.randomUUID();
		return Long.toHexString(uuid.getMostSignificantBits() | Long.MIN_VALUE).substring(1)
				+ Long.toHexString(uuid.getLeastSignificantBits() | Long.MIN_VALUE).substring(1);
	}

	public String xid() {
		return this.xid;
	}

	public TransactionMode mode() {
		return this.mode;
	}

	public String name() {
		return this.name;
	}

	public Instant deadline() {
		return this.deadline;
	}

	/**
	 * Registers a local branch before it runs, so that it is cancelled even if its try
	 * fails half-way; returns its id.
	 */
	public synchronized LocalBranch addBranch(String action, Object[] arguments) {
		LocalBranch branch = new LocalBranch("b" + (++this.branchCount), action, arguments);
		this.branches.add(branch);
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

	@Override
	public String toString() {
		return this.mode + " " + this.name + " " + this.xid;
	}

	/**
	 * A branch run in this service.
	 *
	 * @param branchId unique within the global transaction
	 * @param action the action, as {@code bean#name}
	 * @param arguments the arguments of its try
	 */
	public record LocalBranch(String branchId, String action, Object[] arguments) {

	}

}
