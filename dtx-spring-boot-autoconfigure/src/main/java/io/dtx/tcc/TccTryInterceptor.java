package io.dtx.tcc;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.fence.BranchFence;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.InvocationFailure;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a {@link TccTry} method as a branch of the current global transaction: registers
 * the branch, then runs the try and writes its fence row in one local transaction, which
 * it joins if the caller has one.
 */
class TccTryInterceptor implements MethodInterceptor {

	private final TccActionRegistry actions;

	private final BranchEntry entry;

	private final ArgumentCodec codec;

	private final TransactionTemplate localTransaction;

	TccTryInterceptor(TccActionRegistry actions, BranchEntry entry, ArgumentCodec codec,
			PlatformTransactionManager transactionManager) {
		this.actions = actions;
		this.entry = entry;
		this.codec = codec;
		this.localTransaction = new TransactionTemplate(transactionManager);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null || !TccCoordinator.MODE.equals(transaction.mode())) {
			throw new IllegalStateException("@TccTry method " + invocation.getMethod().getDeclaringClass().getName()
					+ "." + invocation.getMethod().getName() + " was called outside any @TccTransaction: "
					+ "only a global transaction can confirm or cancel what it reserves");
		}
		TccAction action = this.actions.forTry(invocation.getMethod(), invocation.getThis());
		Object[] arguments = invocation.getArguments();
		GlobalTransaction.LocalBranch branch = transaction.addBranch(action.key(), arguments.clone());
		Object result;
		boolean[] ran = { false };
		try {
			result = this.localTransaction.execute((status) -> {
				if (this.entry.enter(transaction, branch,
						this.codec.encode(branch.arguments())) == BranchFence.TryOutcome.ALREADY_TRIED) {
					return null;
				}
				Object returned = InvocationFailure.proceed(invocation);
				ran[0] = true;
				return returned;
			});
		}
		catch (RuntimeException ex) {
			if (ran[0]) {
				// the try ran and its commit failed: it may have committed all the same, and the
				// transaction's row with it, which the cancel must then find
				transaction.markRecorded();
			}
			throw InvocationFailure.unwrap(ex);
		}
		// committed: the transaction's row exists, written by this try or an earlier one
		transaction.markRecorded();
		return result;
	}

}
