package io.dtx.xa;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.dtx.aop.LazyAdvisor;
import io.dtx.coordinator.GlobalTransactionInterceptor;
import io.dtx.coordinator.TransactionModeSupport;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * The advisors of XA across services, and its start-up check. Both advisors run outside
 * {@code @Transactional} on the same method: a branch's transaction is one its database
 * prepares, which a local transaction around it could only get in the way of.
 */
public final class XaAdvisors {

	/**
	 * Order of the {@link XaGlobalTransaction} advisor: before the branch advisor and
	 * before Spring's transaction advisor.
	 */
	public static final int TRANSACTION_ORDER = Ordered.LOWEST_PRECEDENCE - 200;

	/**
	 * Order of the {@link XaBranch} advisor: before Spring's transaction advisor, whose
	 * {@code @Transactional} then joins the branch's transaction.
	 */
	public static final int BRANCH_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private XaAdvisors() {
	}

	public static Advisor transactionAdvisor(ObjectProvider<XaCoordinator> coordinator,
			Supplier<Duration> defaultTimeout) {
		return LazyAdvisor.forAnnotation(XaGlobalTransaction.class, TRANSACTION_ORDER,
				() -> new GlobalTransactionInterceptor(coordinator.getObject(), XaGlobalTransaction.class,
						defaultTimeout.get()));
	}

	public static Advisor branchAdvisor(ObjectProvider<PreparedBranches> branches,
			ObjectProvider<TransactionModeSupport> support) {
		return LazyAdvisor.forAnnotation(XaBranch.class, BRANCH_ORDER,
				() -> new XaBranchInterceptor(branches.getObject(), support.getObject()));
	}

	/**
	 * Refuses at start-up {@link XaBranch} and {@link XaGlobalTransaction} methods that could
	 * never work, naming the bean and the method.
	 * @param dataSourceName the name of the DataSource bean the branches run on
	 * @param takesRequests whether the application serves HTTP requests
	 */
	public static SmartInitializingSingleton wiringCheck(ConfigurableListableBeanFactory beanFactory,
			PreparedBranches branches, String dataSourceName, BooleanSupplier takesRequests) {
		return new XaWiringCheck(beanFactory, branches, dataSourceName, takesRequests);
	}

}
