package io.dtx.tcc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dtx.core.ArgumentCodec;
import io.dtx.core.BranchContext;
import io.dtx.core.BranchFence;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionDriver;
import io.dtx.core.GlobalTransactionLog;
import io.dtx.core.TransactionMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Begins TCC transactions, decides them, and runs phase two on their branches: right
 * after the decision for the thread that ran them, and from the log and the fence for
 * recovery. The decision is durable before phase two starts; a phase two that fails
 * half-way is left to recovery, which finishes it.
 */
public class TccCoordinator implements GlobalTransactionDriver {

	private static final Log logger = LogFactory.getLog(TccCoordinator.class);

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final TccActionRegistry actions;

	private final ArgumentCodec codec;

	private final TransactionTemplate ownTransaction;

	private final Duration phaseTwoGrace;

	public TccCoordinator(GlobalTransactionLog log, BranchFence fence, TccActionRegistry actions, ArgumentCodec codec,
			PlatformTransactionManager transactionManager, Duration phaseTwoGrace) {
		this.log = log;
		this.fence = fence;
		this.actions = actions;
		this.codec = codec;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.phaseTwoGrace = phaseTwoGrace;
	}

	@Override
	public TransactionMode mode() {
		return TransactionMode.TCC;
	}

	GlobalTransaction begin(String name, Duration timeout) {
		GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), TransactionMode.TCC, name,
				now().plus(timeout));
		this.ownTransaction.executeWithoutResult((status) -> this.log.begin(transaction));
		if (logger.isDebugEnabled()) {
			logger.debug("[" + transaction.xid() + "] began " + transaction);
		}
		return transaction;
	}

	/**
	 * Confirms a transaction whose method returned, unless it passed its deadline or was
	 * cancelled meanwhile: then it is cancelled and a {@link TccTimeoutException} thrown.
	 */
	void confirm(GlobalTransaction transaction) {
		boolean inTime = !now().isAfter(transaction.deadline());
		if (!inTime || !decide(transaction.xid(), GlobalState.TRYING, GlobalState.CONFIRMING)) {
			cancel(transaction);
			throw new TccTimeoutException("TCC transaction " + transaction.name() + " [" + transaction.xid() + "] "
					+ (inTime ? "was cancelled by recovery" : "passed its deadline " + transaction.deadline())
					+ " before it could be confirmed; every branch was cancelled");
		}
		List<GlobalTransaction.LocalBranch> branches = transaction.branches();
		try {
			for (GlobalTransaction.LocalBranch branch : branches) {
				confirmBranch(transaction.xid(), branch.branchId(), action(branch.action()), branch.arguments());
			}
			decide(transaction.xid(), GlobalState.CONFIRMING, GlobalState.CONFIRMED);
		}
		catch (RuntimeException ex) {
			logger.warn("[" + transaction.xid() + "] confirm failed, recovery will retry it: " + ex, ex);
		}
	}

	/**
	 * Cancels a transaction whose method threw; the caller rethrows the original exception.
	 */
	void cancel(GlobalTransaction transaction) {
		if (!decide(transaction.xid(), GlobalState.TRYING, GlobalState.CANCELLING)
				&& logger.isDebugEnabled()) {
			logger.debug("[" + transaction.xid() + "] was already decided; cancelling its branches again is harmless");
		}
		List<GlobalTransaction.LocalBranch> branches = transaction.branches();
		try {
			for (int i = branches.size() - 1; i >= 0; i--) {
				GlobalTransaction.LocalBranch branch = branches.get(i);
				cancelBranch(transaction.xid(), branch.branchId(), action(branch.action()), branch.arguments());
			}
			decide(transaction.xid(), GlobalState.CANCELLING, GlobalState.CANCELLED);
		}
		catch (RuntimeException ex) {
			logger.warn("[" + transaction.xid() + "] cancel failed, recovery will retry it: " + ex, ex);
		}
	}

	@Override
	public void complete(GlobalTransactionLog.Entry entry) {
		GlobalState state = entry.state();
		if (state == GlobalState.TRYING) {
			// past its deadline and never decided: presumed abort
			if (!decide(entry.xid(), GlobalState.TRYING, GlobalState.CANCELLING)) {
				return;
			}
			state = GlobalState.CANCELLING;
		}
		for (BranchFence.TriedBranch branch : this.fence.tried(entry.xid())) {
			TccAction action = action(branch.action());
			Object[] arguments = this.codec.decode(branch.arguments(), action.tryMethod(), action.argumentCount());
			if (state == GlobalState.CONFIRMING) {
				confirmBranch(entry.xid(), branch.branchId(), action, arguments);
			}
			else {
				cancelBranch(entry.xid(), branch.branchId(), action, arguments);
			}
		}
		decide(entry.xid(), state, (state == GlobalState.CONFIRMING) ? GlobalState.CONFIRMED : GlobalState.CANCELLED);
		logger.info("[" + entry.xid() + "] recovered " + entry.mode() + " " + entry.name() + ": " + state);
	}

	private void confirmBranch(String xid, String branchId, TccAction action, Object[] arguments) {
		BranchContext context = new BranchContext(xid, branchId, action.key());
		Object bean = this.actions.bean(action);
		this.ownTransaction.executeWithoutResult((status) -> {
			if (this.fence.enterConfirm(xid, branchId)) {
				action.confirm(bean, arguments, context);
			}
		});
	}

	private void cancelBranch(String xid, String branchId, TccAction action, Object[] arguments) {
		BranchContext context = new BranchContext(xid, branchId, action.key());
		Object bean = this.actions.bean(action);
		this.ownTransaction.executeWithoutResult((status) -> {
			if (this.fence.enterCancel(xid, branchId, action.key()) == BranchFence.CancelOutcome.RUN) {
				action.cancel(bean, arguments, context);
			}
		});
	}

	private boolean decide(String xid, GlobalState from, GlobalState to) {
		Instant recoverAfter = now().plus(this.phaseTwoGrace);
		Boolean decided = this.ownTransaction.execute((status) -> this.log.decide(xid, from, to, recoverAfter));
		return Boolean.TRUE.equals(decided);
	}

	private TccAction action(String key) {
		TccAction action = this.actions.forKey(key);
		if (action == null) {
			throw new IllegalStateException("No TCC action " + key + " in this application");
		}
		return action;
	}

	private Instant now() {
		return this.log.clock().instant();
	}

}
