package io.dtx.tcc;

import java.time.Duration;
import java.util.function.Supplier;

import io.dtx.core.ArgumentCodec;
import io.dtx.core.BranchFence;
import io.dtx.core.GlobalTransactionLog;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

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
		return advisor(TccTransaction.class, TRANSACTION_ORDER,
				() -> new TccTransactionInterceptor(coordinator.getObject(), defaultTimeout.get()));
	}

	public static Advisor tryAdvisor(ObjectProvider<TccActionRegistry> actions, ObjectProvider<GlobalTransactionLog> log,
			ObjectProvider<BranchFence> fence, ObjectProvider<ArgumentCodec> codec,
			ObjectProvider<PlatformTransactionManager> transactionManager) {
		return advisor(TccTry.class, TRY_ORDER, () -> new TccTryInterceptor(actions.getObject(), log.getObject(),
				fence.getObject(), codec.getObject(), transactionManager.getObject()));
	}

	// the interceptor's collaborators are created at the first call, not while proxies are made
	private static Advisor advisor(Class<? extends java.lang.annotation.Annotation> annotation, int order,
			Supplier<MethodInterceptor> interceptor) {
		SingletonSupplier<MethodInterceptor> lazy = SingletonSupplier.of(interceptor);
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, annotation, true), new MethodInterceptor() {

					@Override
					public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
						return lazy.obtain().invoke(invocation);
					}

				});
		advisor.setOrder(order);
		return advisor;
	}

}
