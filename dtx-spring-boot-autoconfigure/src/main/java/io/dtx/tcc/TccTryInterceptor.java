package io.dtx.tcc;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.core.GlobalTransaction;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link TccTry} method as a branch of the current global transaction: registers
 * the branch, then runs the try and writes its fence row in one local transaction, which
 * it joins if the caller has one.
 */
class TccTryInterceptor implements MethodInterceptor {

	private final TccActionRegistry actions;

	private final BranchEntry entry;

	private final ArgumentCodec codec;

	TccTryInterceptor(TccActionRegistry actions, BranchEntry entry, ArgumentCodec codec) {
		this.actions = actions;
		this.entry = entry;
		this.codec = codec;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		GlobalTransaction transaction = BranchEntry.current(TccCoordinator.MODE, invocation,
				"any @TccTransaction: only a global transaction can confirm or cancel what a @TccTry reserves");
		TccAction action = this.actions.forTry(invocation.getMethod(), invocation.getThis());
		Object[] arguments = invocation.getArguments();
		GlobalTransaction.LocalBranch branch = transaction.addBranch(action.key(), arguments.clone());
		return this.entry.run(transaction, branch, this.codec.encode(branch.arguments()), invocation, null);
	}

}
