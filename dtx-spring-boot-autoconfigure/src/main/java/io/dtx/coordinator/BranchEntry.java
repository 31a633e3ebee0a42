package io.dtx.coordinator;

import java.util.function.Function;

import io.dtx.core.BranchRefusedException;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.InvocationFailure;
import io.dtx.fence.BranchFence;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lets a local branch (the first phase of any mode) into its global transaction, inside the
 * branch's own local transaction and before its business change: writes or share-locks
 * the transaction's row (or the row of the branch a caller opened here), then writes the
 * branch's fence row. Either lock holds off any decision until the branch commits.
 */
public final class BranchEntry {

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final TransactionTemplate localTransaction;

	public BranchEntry(GlobalTransactionLog log, BranchFence fence, PlatformTransactionManager transactionManager) {
		this.log = log;
		this.fence = fence;
		this.localTransaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * The transaction of the current thread, where it is of {@code mode}; throws, naming
	 * the intercepted method and what it needed, where there is none.
	 */
	public static GlobalTransaction current(String mode, MethodInvocation invocation, String needs) {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null || !mode.equals(transaction.mode())) {
			throw new IllegalStateException(invocation.getMethod().getDeclaringClass().getName() + "."
					+ invocation.getMethod().getName() + " was called outside " + needs);
		}
		return transaction;
	}

	/**
	 * Runs a branch's first phase: enters it and runs the intercepted method in one local
	 * transaction (joining the caller's, if it has one), keeping what the method returned
	 * on the fence row where {@code keepResult} is given. Returns what the method
	 * returned, or {@code null} where the branch ran before. The method's own exception
	 * reaches the caller unchanged, checked ones too.
	 */
	public @Nullable Object run(GlobalTransaction transaction, GlobalTransaction.LocalBranch branch, String arguments,
			MethodInvocation invocation, @Nullable Function<Object, String> keepResult) throws Throwable {
		boolean[] ran = { false };
		Object result;
		try {
			result = this.localTransaction.execute((status) -> {
				if (enter(transaction, branch, arguments) == BranchFence.TryOutcome.ALREADY_TRIED) {
					return null;
				}
				Object returned = InvocationFailure.proceed(invocation);
				if (returned != null && keepResult != null) {
					this.fence.recordResult(transaction.xid(), branch.branchId(), keepResult.apply(returned));
				}
				ran[0] = true;
				return returned;
			});
		}
		catch (RuntimeException ex) {
			if (ran[0]) {
				// it ran and its commit failed: it may have committed all the same, and the
				// transaction's row with it, which phase two must then find
				transaction.markRecorded();
			}
			throw InvocationFailure.unwrap(ex);
		}
		// committed: the transaction's row exists, written by this branch or an earlier one
		transaction.markRecorded();
		return result;
	}

	/**
	 * Enters the branch: {@link BranchFence.TryOutcome#RUN} when its business change may
	 * run, {@link BranchFence.TryOutcome#ALREADY_TRIED} when it ran before; throws
	 * {@link BranchRefusedException} when the transaction or the caller's branch is past
	 * the point where it may take new branches.
	 */
	public BranchFence.TryOutcome enter(GlobalTransaction transaction, GlobalTransaction.LocalBranch branch,
			String arguments) {
		String xid = transaction.xid();
		String parentBranch = transaction.parentBranch();
		if (parentBranch == null) {
			// the first branch writes the transaction's row; later ones read it under a share
			// lock: either way no decision by recovery can slip in before this branch commits
			if (transaction.isRecorded() || !this.log.beginIfAbsent(transaction)) {
				GlobalState state = this.log.lockedState(xid);
				if (state != GlobalState.TRYING) {
					throw new BranchRefusedException("[" + xid + "] " + branch.action()
							+ " refused: the transaction is " + state);
				}
			}
		}
		else if (this.fence.enterUnderRemoteBranch(transaction) == BranchFence.TryOutcome.REFUSED) {
			// likewise holds off phase two of the branch the caller opened here
			throw new BranchRefusedException("[" + xid + "] " + branch.action() + " refused: branch " + parentBranch
					+ " of its caller is already in phase two");
		}
		BranchFence.TryOutcome outcome = this.fence.enterTry(xid, branch.branchId(), branch.action(), arguments);
		if (outcome == BranchFence.TryOutcome.REFUSED) {
			throw new BranchRefusedException("[" + xid + "] " + branch.action() + " " + branch.branchId()
					+ " refused: it was cancelled before it arrived");
		}
		return outcome;
	}

}
