package io.dtx.tcc;

import io.dtx.core.ArgumentCodec;
import io.dtx.core.BranchRefusedException;
import io.dtx.core.BranchFence;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.GlobalTransactionLog;
import io.dtx.core.TransactionMode;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a {@link TccTry} method as a branch of the current global transaction: registers
 * the branch, then runs the try and writes its fence row in one local transaction, which
 * it joins if the caller has one.
 */
class TccTryInterceptor implements MethodInterceptor {

	private final TccActionRegistry actions;

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final ArgumentCodec codec;

	private final TransactionTemplate localTransaction;

	TccTryInterceptor(TccActionRegistry actions, GlobalTransactionLog log, BranchFence fence, ArgumentCodec codec,
			PlatformTransactionManager transactionManager) {
		this.actions = actions;
		this.log = log;
		this.fence = fence;
		this.codec = codec;
		this.localTransaction = new TransactionTemplate(transactionManager);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null || transaction.mode() != TransactionMode.TCC) {
			throw new IllegalStateException("@TccTry method " + invocation.getMethod().getDeclaringClass().getName()
					+ "." + invocation.getMethod().getName() + " was called outside any @TccTransaction: "
					+ "only a global transaction can confirm or cancel what it reserves");
		}
		TccAction action = this.actions.forTry(invocation.getMethod(), invocation.getThis());
		Object[] arguments = invocation.getArguments();
		GlobalTransaction.LocalBranch branch = transaction.addBranch(action.key(), arguments.clone());
		Object result;
		try {
			result = this.localTransaction.execute((status) -> runTry(invocation, transaction, branch, status));
		}
		catch (TryFailure failure) {
			throw failure.getCause();
		}
		// committed: the transaction's row exists, written by this try or an earlier one
		transaction.markRecorded();
		return result;
	}

	private @Nullable Object runTry(MethodInvocation invocation, GlobalTransaction transaction,
			GlobalTransaction.LocalBranch branch, TransactionStatus status) {
		String xid = transaction.xid();
		String parentBranch = transaction.parentBranch();
		if (parentBranch == null) {
			// the first try writes the transaction's row; later ones read it under a share
			// lock: either way no decision by recovery can slip in before this try commits
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
		BranchFence.TryOutcome outcome = this.fence.enterTry(xid, branch.branchId(), branch.action(),
				this.codec.encode(branch.arguments()));
		if (outcome == BranchFence.TryOutcome.REFUSED) {
			throw new BranchRefusedException("[" + xid + "] " + branch.action() + " " + branch.branchId()
					+ " refused: it was cancelled before its try arrived");
		}
		if (outcome == BranchFence.TryOutcome.ALREADY_TRIED) {
			return null;
		}
		try {
			return invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new TryFailure(ex);
		}
	}

	/**
	 * Carries a checked exception of the try through the transaction template, which
	 * rolls back on it.
	 */
	private static final class TryFailure extends RuntimeException {

		TryFailure(Throwable cause) {
			super(cause);
		}

		@Override
		public synchronized Throwable getCause() {
			return super.getCause();
		}

	}

}
