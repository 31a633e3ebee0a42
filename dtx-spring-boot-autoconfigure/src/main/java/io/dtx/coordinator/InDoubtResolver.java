package io.dtx.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.dtx.core.GlobalState;
import io.dtx.fence.BranchFence;
import io.dtx.fence.RemoteBranch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Completes branches that other services opened here and never called back about: once
 * a branch's deadline is well past, it asks the coordinator how the transaction ended and
 * confirms or cancels accordingly. A coordinator that never recorded the transaction
 * answers that it rolled back (presumed abort).
 */
public class InDoubtResolver {

	private static final Log logger = LogFactory.getLog(InDoubtResolver.class);

	private final BranchFence fence;

	private final ObjectProvider<CoordinatorClient> coordinator;

	private final TransactionModes modes;

	private final Clock clock;

	private final Duration patience;

	/**
	 * @param patience how long past its deadline a branch waits for its phase two before
	 * the coordinator is asked, and between two questions
	 */
	public InDoubtResolver(BranchFence fence, ObjectProvider<CoordinatorClient> coordinator, TransactionModes modes,
			Clock clock, Duration patience) {
		this.fence = fence;
		this.coordinator = coordinator;
		this.modes = modes;
		this.clock = clock;
		this.patience = patience;
	}

	/**
	 * One pass over the branches in doubt; returns how many it completed.
	 */
	int resolveDue(int limit) {
		CoordinatorClient coordinator = this.coordinator.getIfAvailable();
		if (coordinator == null) {
			// no way here to reach another service: its phase two is all a branch can wait for
			return 0;
		}
		Instant now = this.clock.instant();
		int completed = 0;
		for (RemoteBranch branch : this.fence.inDoubt(now.minus(this.patience), limit)) {
			if (resolve(coordinator, branch, now)) {
				completed++;
			}
			else {
				this.fence.touch(branch.xid(), branch.branchId());
			}
		}
		return completed;
	}

	private boolean resolve(CoordinatorClient coordinator, RemoteBranch branch, Instant now) {
		TransactionMode mode = this.modes.get(branch.mode());
		if (branch.coordinatorUrl() == null || mode == null
				|| now.isBefore(branch.deadline().plus(this.patience))) {
			return false;
		}
		GlobalState outcome;
		try {
			outcome = coordinator.outcome(branch.coordinatorUrl(), branch.xid());
		}
		catch (RuntimeException ex) {
			logger.warn("[" + branch.xid() + "] branch " + branch.branchId() + " is in doubt and its coordinator "
					+ branch.coordinatorUrl() + " cannot be reached; asking again later: " + ex);
			return false;
		}
		if (outcome == GlobalState.TRYING) {
			// past its deadline: the coordinator's own recovery is about to cancel it
			return false;
		}
		boolean confirm = outcome == GlobalState.CONFIRMING || outcome == GlobalState.CONFIRMED;
		logger.info("[" + branch.xid() + "] branch " + branch.branchId() + " was in doubt; its coordinator says "
				+ outcome + ": " + (confirm ? "confirming" : "cancelling"));
		mode.completeRemoteBranch(branch.xid(), branch.branchId(), confirm);
		return true;
	}

}
