package io.dtx.tcc;

import java.time.Duration;
import java.util.function.Supplier;

import io.dtx.aop.LazyAdvisor;
import io.dtx.coordinator.BranchEntry;
import io.dtx.coordinator.GlobalTransactionInterceptor;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

/**
 * The advisors of TCC. Both run outside {@code @Transactional} on the same method, so
 * that a try's fence row and a transaction's decision are written around the user's own
 * local transaction, never inside it.
 */
public final class TccAdvisors {

	/**
	 * Order of the {@link TccTransaction} advisor: before the try advisor and before
	 * Spring's transaction advisor.
	 */
	public static final int TRANSACTION_ORDER = Ordered.LOWEST_PRECEDENCE - 200;

	/**
	 * Order of the {@link TccTry} advisor: before Spring's transaction advisor.
	 */
	public static final int TRY_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private TccAdvisors() {
	}

	public static Advisor transactionAdvisor(ObjectProvider<TccCoordinator> coordinator,
			Supplier<Duration> defaultTimeout) {
		return LazyAdvisor.forAnnotation(TccTransaction.class, TRANSACTION_ORDER,
				() -> new GlobalTransactionInterceptor(coordinator.getObject(), TccTransaction.class,
						defaultTimeout.get()));
	}

	public static Advisor tryAdvisor(ObjectProvider<TccActionRegistry> actions, ObjectProvider<BranchEntry> entry) {
		return LazyAdvisor.forAnnotation(TccTry.class, TRY_ORDER,
				() -> tryInterceptor(actions.getObject(), entry.getObject()));
	}

	// registers the try as a branch of the current transaction, then runs it and writes its
	// fence row in one local transaction, which it joins if the caller has one
	private static MethodInterceptor tryInterceptor(TccActionRegistry actions, BranchEntry entry) {
		return (invocation) -> entry
			.register(TccCoordinator.MODE, actions.forInvocation(invocation).key(), invocation,
					"any @TccTransaction: only a global transaction can confirm or cancel what a @TccTry reserves")
			.run(false);
	}

}
