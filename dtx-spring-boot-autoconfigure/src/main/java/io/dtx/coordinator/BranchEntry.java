package io.dtx.coordinator;

import io.dtx.fence.BranchFence;
import io.dtx.core.BranchRefusedException;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;

/**
 * Lets a local branch (the first phase of any mode) into its global transaction, inside the
 * branch's own local transaction and before its business change: writes or share-locks
 * the transaction's row (or the row of the branch a caller opened here), then writes the
 * branch's fence row. Either lock holds off any decision until the branch commits.
 */
public final class BranchEntry {

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	public BranchEntry(GlobalTransactionLog log, BranchFence fence) {
		this.log = log;
		this.fence = fence;
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
