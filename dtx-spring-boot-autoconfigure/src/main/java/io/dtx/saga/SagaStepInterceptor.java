package io.dtx.saga;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.fence.BranchFence;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.InvocationFailure;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a {@link SagaStep} method as a step of the current saga: registers it, then runs
 * it and writes its fence row (arguments, then result) in one local transaction, which
 * it joins if the caller has one. A step that declares retries runs again, each attempt
 * in a local transaction of its own.
 */
class SagaStepInterceptor implements MethodInterceptor {

	private final SagaStepRegistry steps;

	private final BranchEntry entry;

	private final BranchFence fence;

	private final ArgumentCodec codec;

	private final TransactionTemplate localTransaction;

	SagaStepInterceptor(SagaStepRegistry steps, BranchEntry entry, BranchFence fence, ArgumentCodec codec,
			PlatformTransactionManager transactionManager) {
		this.steps = steps;
		this.entry = entry;
		this.fence = fence;
		this.codec = codec;
		this.localTransaction = new TransactionTemplate(transactionManager);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		GlobalTransaction saga = GlobalTransactionContext.current();
		if (saga == null || !SagaCoordinator.MODE.equals(saga.mode())) {
			throw new IllegalStateException("@SagaStep method " + invocation.getMethod().getDeclaringClass().getName()
					+ "." + invocation.getMethod().getName() + " was called outside any @Saga: only a saga can "
					+ "compensate what it does");
		}
		SagaStepAction action = this.steps.forStep(invocation.getMethod(), invocation.getThis());
		// registered before it runs: a step that fails leaves a mark that refuses it later
		GlobalTransaction.LocalBranch step = saga.addBranch(action.key(), invocation.getArguments().clone());
		String arguments = this.codec.encode(step.arguments());
		Object result;
		try {
			RetryTemplate retry = action.retry();
			// the retry policy sees the step's own exception, checked ones too
			result = (retry != null) ? retry.execute(() -> runStepUnwrapped(invocation, saga, step, arguments))
					: runStep(invocation, saga, step, arguments);
		}
		catch (RetryException ex) {
			throw InvocationFailure.unwrap(ex.getLastException());
		}
		catch (RuntimeException ex) {
			throw InvocationFailure.unwrap(ex);
		}
		step.result(result);
		// committed: the saga's row exists, written by this step or an earlier one
		saga.markRecorded();
		return result;
	}

	private @Nullable Object runStepUnwrapped(MethodInvocation invocation, GlobalTransaction saga,
			GlobalTransaction.LocalBranch step, String arguments) throws Throwable {
		try {
			return runStep(invocation, saga, step, arguments);
		}
		catch (RuntimeException ex) {
			throw InvocationFailure.unwrap(ex);
		}
	}

	private @Nullable Object runStep(MethodInvocation invocation, GlobalTransaction saga,
			GlobalTransaction.LocalBranch step, String arguments) {
		boolean[] ran = { false };
		try {
			return this.localTransaction.execute((status) -> {
				if (this.entry.enter(saga, step, arguments) == BranchFence.TryOutcome.ALREADY_TRIED) {
					return null;
				}
				Object result = InvocationFailure.proceed(invocation);
				if (result != null) {
					this.fence.recordResult(saga.xid(), step.branchId(), this.codec.encodeValue(result));
				}
				ran[0] = true;
				return result;
			});
		}
		catch (RuntimeException ex) {
			if (ran[0]) {
				// the step ran and its commit failed: it may have committed all the same, and the
				// saga's row with it, which the compensation must then find
				saga.markRecorded();
			}
			throw ex;
		}
	}

}
