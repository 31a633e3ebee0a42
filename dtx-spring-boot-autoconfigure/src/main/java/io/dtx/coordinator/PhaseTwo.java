package io.dtx.coordinator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.dtx.core.BranchIds;
import io.dtx.core.DtxObservations;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.Participant;
import io.dtx.fence.BranchFence;
import org.jspecify.annotations.Nullable;

/**
 * The second phase of one mode, the one path its calling thread, recovery and a caller's
 * phase-two request all take: each local branch is let in by the fence and completed in
 * one local transaction, each service called is told, in the mode's {@link Order}. What
 * the thread ran is completed from memory; what recovery or a caller asks for, from the
 * fence and the participant log. Safe to repeat: the fence lets each branch's confirm or
 * cancel run once.
 */
public final class PhaseTwo {

	private final String mode;

	private final Order order;

	private final BranchAction action;

	private final Function<BranchFence.TriedBranch, Branch> decode;

	private final TransactionModeSupport support;

	PhaseTwo(String mode, Order order, BranchAction action, Function<BranchFence.TriedBranch, Branch> decode,
			TransactionModeSupport support) {
		this.mode = mode;
		this.order = order;
		this.action = action;
		this.decode = decode;
		this.support = support;
	}

	/**
	 * Completes what this thread ran, each local branch in a local transaction of its own.
	 */
	public void complete(GlobalTransaction transaction, boolean confirm) {
		run(transaction.xid(), asRun(transaction), confirm, true);
	}

	/**
	 * Completes the local branches this thread ran inside the local transaction going on,
	 * so that they commit with it, as a decision taken in the same transaction does;
	 * only for a transaction that called no other service.
	 */
	public void completeInCurrentTransaction(GlobalTransaction transaction, boolean confirm) {
		if (!transaction.participants().isEmpty()) {
			throw new IllegalStateException("[" + transaction.xid() + "] called other services: their phase two "
					+ "cannot join a local transaction");
		}
		run(transaction.xid(), asRun(transaction), confirm, false);
	}

	/**
	 * Completes, from the fence and the participant log, what ran here directly under
	 * {@code parentBranch}: the transaction's own branches where it is {@code null}
	 * (recovery), those under a branch a caller opened here otherwise.
	 */
	public void complete(String xid, @Nullable String parentBranch, boolean confirm) {
		run(xid, asRecorded(xid, parentBranch), confirm, true);
	}

	/**
	 * A caller's phase two of the branch it opened here: closes the branch to first
	 * phases that arrive late, then completes what ran under it.
	 */
	public void completeRemoteBranch(String xid, String branchId, boolean confirm) {
		this.support.transactions().execute((status) -> {
			this.support.fence().enterRemotePhaseTwo(xid, branchId, confirm);
			return null;
		});
		complete(xid, branchId, confirm);
	}

	private void run(String xid, List<Step> tried, boolean confirm, boolean ownTransactions) {
		DtxObservations.phaseTwo(this.support.observations(), this.mode, xid, confirm)
			.observe(() -> runInOrder(xid, tried, confirm, ownTransactions));
	}

	private void runInOrder(String xid, List<Step> tried, boolean confirm, boolean ownTransactions) {
		if (this.order == Order.AS_TRIED) {
			List<Participant> called = new ArrayList<>();
			for (Step step : tried) {
				if (step.local() != null) {
					completeLocal(xid, step.local(), confirm, ownTransactions);
				}
				else {
					called.add(step.remote());
				}
			}
			this.support.completeParticipants(xid, this.mode, called, confirm);
			return;
		}
		for (int i = tried.size() - 1; i >= 0; i--) {
			Step step = tried.get(i);
			if (step.local() != null) {
				completeLocal(xid, step.local(), confirm, ownTransactions);
			}
			else {
				this.support.completeParticipants(xid, this.mode, List.of(step.remote()), confirm);
			}
		}
	}

	// the fence update and the business change in one local transaction: the caller's, or one of their own
	private void completeLocal(String xid, Branch branch, boolean confirm, boolean ownTransaction) {
		if (ownTransaction) {
			this.support.transactions().execute((status) -> {
				completeLocal(xid, branch, confirm, false);
				return null;
			});
			return;
		}
		boolean enter = confirm ? this.support.fence().enterConfirm(xid, branch.branchId())
				: this.support.fence().enterCancel(xid, branch.branchId(), branch.action()) == BranchFence.CancelOutcome.RUN;
		if (enter) {
			this.action.complete(xid, branch, confirm);
		}
	}

	// in the order this thread opened them
	private static List<Step> asRun(GlobalTransaction transaction) {
		Map<String, Step> byId = new HashMap<>();
		transaction.branches()
			.forEach((branch) -> byId.put(branch.branchId(), new Step(new Branch(branch.branchId(), branch.action(),
					branch.arguments(), branch.result()), null)));
		transaction.participants().forEach((participant) -> byId.put(participant.branchId(), new Step(null, participant)));
		return transaction.branchOrder().stream().map(byId::get).toList();
	}

	// in the order recorded: by time, then by the branch's number where two share a time
	private List<Step> asRecorded(String xid, @Nullable String parentBranch) {
		record Recorded(Instant at, String branchId, Step step) {
		}
		List<Recorded> recorded = new ArrayList<>();
		for (BranchFence.TriedBranch tried : this.support.fence().tried(xid, parentBranch)) {
			recorded.add(new Recorded(tried.triedAt(), tried.branchId(), new Step(this.decode.apply(tried), null)));
		}
		for (ParticipantLog.Call call : this.support.participants().pending(xid, parentBranch)) {
			recorded.add(new Recorded(call.calledAt(), call.participant().branchId(), new Step(null, call.participant())));
		}
		recorded.sort(Comparator.comparing(Recorded::at)
			.thenComparingInt((entry) -> BranchIds.number(entry.branchId()))
			.thenComparing(Recorded::branchId));
		return recorded.stream().map(Recorded::step).toList();
	}

	private record Step(@Nullable Branch local, @Nullable Participant remote) {

	}

	/**
	 * The order a mode completes its branches in.
	 */
	public enum Order {

		/**
		 * The local branches in the order they were tried, then every service called at
		 * once: two transactions that lock the same rows in their branches take them in
		 * the same order, confirm or cancel alike, and queue instead of deadlocking.
		 */
		AS_TRIED,

		/**
		 * Local branches and services called together, the last opened first, one at a
		 * time: each undoes what was done after it first.
		 */
		REVERSE

	}

	/**
	 * A local branch for phase two, with the arguments its first phase ran with and what
	 * it returned ({@code null} where the mode does not keep it).
	 *
	 * @param branchId the branch's id within its transaction
	 * @param action the action's key, as the fence holds it
	 * @param arguments the first phase's arguments
	 * @param result what the first phase returned
	 */
	public record Branch(String branchId, String action, @Nullable Object[] arguments, @Nullable Object result) {

	}

	/**
	 * A mode's business side of phase two.
	 */
	@FunctionalInterface
	public interface BranchAction {

		/**
		 * Runs a local branch's confirm or cancel, inside the local transaction in which
		 * the fence let it in.
		 */
		void complete(String xid, Branch branch, boolean confirm);

	}

}
