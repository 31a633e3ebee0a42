package io.dtx.tcc;

import java.time.Duration;
import java.util.function.Supplier;

import io.dtx.aop.ArgumentCodec;
import io.dtx.aop.LazyAdvisor;
import io.dtx.coordinator.BranchEntry;
import io.dtx.coordinator.GlobalTransactionInterceptor;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.fence.BranchFence;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;

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

	public static Advisor tryAdvisor(ObjectProvider<TccActionRegistry> actions, ObjectProvider<GlobalTransactionLog> log,
			ObjectProvider<BranchFence> fence, ObjectProvider<ArgumentCodec> codec,
			ObjectProvider<PlatformTransactionManager> transactionManager) {
		return LazyAdvisor.forAnnotation(TccTry.class, TRY_ORDER,
				() -> new TccTryInterceptor(actions.getObject(), new BranchEntry(log.getObject(), fence.getObject(),
						transactionManager.getObject()),
						codec.getObject()));
	}

}
