package io.dtx.saga;

import io.dtx.coordinator.BranchEntry;
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

	SagaStepInterceptor(SagaStepRegistry steps, BranchEntry entry) {
		this.steps = steps;
		this.entry = entry;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		SagaStepAction action = this.steps.forInvocation(invocation);
		// registered before it runs: a step that fails leaves a mark that refuses it later
		BranchEntry.RegisteredBranch step = this.entry.register(SagaCoordinator.MODE, action.key(), invocation,
				"any @Saga: only a saga can compensate what a @SagaStep does");
		RetryTemplate retry = action.retry();
		if (retry == null) {
			return step.run(true);
		}
		try {
			// each attempt in a local transaction of its own; the policy sees the step's own
			// exception, checked ones too
			return retry.execute(() -> step.run(true));
		}
		catch (RetryException ex) {
			throw ex.getLastException();
		}
	}

}
