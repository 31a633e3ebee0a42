package io.dtx.autoconfigure;

import java.util.Map;
import javax.sql.DataSource;

import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.jdbc.DtxTables;
import io.dtx.xa.PreparedBranches;
import io.dtx.xa.XaAdvisors;
import io.dtx.xa.XaCoordinator;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;

/**
 * XA across services: {@code @XaGlobalTransaction} and {@code @XaBranch} methods
 * intercepted, their branches prepared in dtx's DataSource, and their transactions
 * decided, completed and recovered by the coordinator every mode shares. An application
 * with no such method may run on any database; one with them is checked at start-up.
 */
@AutoConfiguration(after = DtxCoreAutoConfiguration.class,
		afterName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnBooleanProperty(name = "dtx.xa.global.enabled", matchIfMissing = true)
@ConditionalOnCoordinator
@EnableConfigurationProperties(DtxXaGlobalProperties.class)
@Import(DtxAutoProxyRegistrar.class)
public final class DtxXaGlobalAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PreparedBranches dtxPreparedBranches(DtxTables tables) {
		return new PreparedBranches(tables.dataSource(), tables.vendor());
	}

	@Bean
	@ConditionalOnMissingBean
	XaCoordinator dtxXaCoordinator(TransactionModeSupport support, PreparedBranches branches) {
		return new XaCoordinator(support, branches);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxXaGlobalTransactionAdvisor(ObjectProvider<XaCoordinator> coordinator,
			ObjectProvider<DtxXaGlobalProperties> properties) {
		return XaAdvisors.transactionAdvisor(coordinator, () -> properties.getObject().defaultTimeout());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxXaBranchAdvisor(ObjectProvider<PreparedBranches> branches,
			ObjectProvider<TransactionModeSupport> support) {
		return XaAdvisors.branchAdvisor(branches, support);
	}

	@Bean
	SmartInitializingSingleton dtxXaWiringCheck(ConfigurableListableBeanFactory beanFactory,
			PreparedBranches branches) {
		// the filter that joins requests to their callers' transactions (DtxWebAutoConfiguration)
		return XaAdvisors.wiringCheck(beanFactory, branches, dataSourceName(beanFactory, branches.dataSource()),
				() -> beanFactory.containsBean("dtxServerFilter"));
	}

	private static String dataSourceName(ConfigurableListableBeanFactory beanFactory, DataSource dataSource) {
		for (Map.Entry<String, DataSource> named : beanFactory.getBeansOfType(DataSource.class).entrySet()) {
			if (named.getValue() == dataSource) {
				return named.getKey();
			}
		}
		return "dataSource";
	}

}
