package io.dtx.saga;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.core.GlobalTransaction;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

/**
 * Runs a {@link SagaStep} method as a step of the current saga: registers it, then runs
 * it and writes its fence row (arguments, then result) in one local transaction, which
 * it joins if the caller has one. A step that declares retries runs again, each attempt
 * in a local transaction of its own.
 */
class SagaStepInterceptor implements MethodInterceptor {

	private final SagaStepRegistry steps;

	private final BranchEntry entry;

	private final ArgumentCodec codec;

	SagaStepInterceptor(SagaStepRegistry steps, BranchEntry entry, ArgumentCodec codec) {
		this.steps = steps;
		this.entry = entry;
		this.codec = codec;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		GlobalTransaction saga = BranchEntry.current(SagaCoordinator.MODE, invocation,
				"any @Saga: only a saga can compensate what a @SagaStep does");
		SagaStepAction action = this.steps.forStep(invocation.getMethod(), invocation.getThis());
		// registered before it runs: a step that fails leaves a mark that refuses it later
		GlobalTransaction.LocalBranch step = saga.addBranch(action.key(), invocation.getArguments().clone());
		String arguments = this.codec.encode(step.arguments());
		RetryTemplate retry = action.retry();
		Object result;
		if (retry == null) {
			result = this.entry.run(saga, step, arguments, invocation, this.codec::encodeValue);
		}
		else {
			try {
				// each attempt in a local transaction of its own; the policy sees the step's own
				// exception, checked ones too
				result = retry.execute(() -> this.entry.run(saga, step, arguments, invocation, this.codec::encodeValue));
			}
			catch (RetryException ex) {
				throw ex.getLastException();
			}
		}
		step.result(result);
		return result;
	}

}
