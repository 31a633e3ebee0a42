package io.dtx.coordinator;

import java.util.regex.Pattern;

import io.dtx.core.Backoff;
import org.jspecify.annotations.Nullable;

/**
 * A way of completing global transactions, registered as a bean: the coordinator, the
 * recovery, the in-doubt resolver and the phase-two endpoint know a mode only through
 * this interface, by its {@link #name()}. A new mode is a package with one bean that
 * implements it; nothing of the coordinator, the fence or the web layer changes.
 */
public interface TransactionMode extends GlobalTransactionCoordinator {

	/**
	 * What a mode's name may be: it is written to the log's {@code mode} column and sent
	 * in the {@code Dtx-Mode} header.
	 */
	Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,15}");

	/**
	 * The mode's name, unique among the registered modes and matching {@link #NAME}; it
	 * is stored with every transaction of the mode, so it never changes.
	 */
	String name();

	/**
	 * Drives a transaction of this mode whose thread is gone to its final state: cancels
	 * it if it is still undecided (its deadline has passed), else completes phase two.
	 * Throws to be retried later.
	 */
	void complete(GlobalTransactionLog.Entry entry);

	/**
	 * The delays between recovery's attempts at this mode's transactions; {@code null}
	 * for recovery's own.
	 */
	default @Nullable Backoff backoff() {
		return null;
	}

	/**
	 * Confirms or cancels everything run in this service under a branch a caller opened
	 * here, as the caller's coordinator asks; safe to repeat.
	 */
	void completeRemoteBranch(String xid, String branchId, boolean confirm);

}
