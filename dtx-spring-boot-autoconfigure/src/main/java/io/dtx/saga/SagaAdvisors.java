package io.dtx.saga;

import java.time.Duration;
import java.util.function.Supplier;

import io.dtx.aop.LazyAdvisor;
import io.dtx.coordinator.BranchEntry;
import io.dtx.coordinator.GlobalTransactionInterceptor;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

/**
 * The advisors of sagas. Both run outside {@code @Transactional} on the same method, so
 * that a step's fence row is written in the step's local transaction and a saga's end is
 * decided around the user's own local transaction, never inside it.
 */
public final class SagaAdvisors {

	/**
	 * Order of the {@link Saga} advisor: before the step advisor and before Spring's
	 * transaction advisor.
	 */
	public static final int SAGA_ORDER = Ordered.LOWEST_PRECEDENCE - 200;

	/**
	 * Order of the {@link SagaStep} advisor: before Spring's transaction advisor.
	 */
	public static final int STEP_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private SagaAdvisors() {
	}

	public static Advisor sagaAdvisor(ObjectProvider<SagaCoordinator> coordinator, Supplier<Duration> defaultTimeout) {
		return LazyAdvisor.forAnnotation(Saga.class, SAGA_ORDER,
				() -> new GlobalTransactionInterceptor(coordinator.getObject(), Saga.class, defaultTimeout.get()));
	}

	public static Advisor stepAdvisor(ObjectProvider<SagaStepRegistry> steps, ObjectProvider<BranchEntry> entry) {
		return LazyAdvisor.forAnnotation(SagaStep.class, STEP_ORDER,
				() -> new SagaStepInterceptor(steps.getObject(), entry.getObject()));
	}

}
