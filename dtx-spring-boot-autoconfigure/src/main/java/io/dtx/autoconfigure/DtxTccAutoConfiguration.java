package io.dtx.autoconfigure;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.tcc.TccActionRegistry;
import io.dtx.tcc.TccAdvisors;
import io.dtx.tcc.TccCoordinator;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * TCC: {@code @TccTransaction} and {@code @TccTry} methods intercepted, their actions
 * checked at start-up, and their transactions coordinated and recovered.
 */
@AutoConfiguration(after = DtxCoreAutoConfiguration.class,
		afterName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnBooleanProperty(name = "dtx.tcc.enabled", matchIfMissing = true)
@ConditionalOnCoordinator
@EnableConfigurationProperties(DtxTccProperties.class)
@Import(DtxAutoProxyRegistrar.class)
public final class DtxTccAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static TccActionRegistry dtxTccActionRegistry(ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<ArgumentCodec> codec) {
		return new TccActionRegistry(beanFactory, codec.getObject());
	}

	@Bean
	@ConditionalOnMissingBean
	TccCoordinator dtxTccCoordinator(TransactionModeSupport support, TccActionRegistry actions, DtxTccProperties tcc,
			ThreadPoolTaskExecutor dtxPhaseTwoExecutor) {
		return new TccCoordinator(support, actions, tcc.asyncPhaseTwo() ? dtxPhaseTwoExecutor : null);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxTccTransactionAdvisor(ObjectProvider<TccCoordinator> coordinator,
			ObjectProvider<DtxTccProperties> properties) {
		return TccAdvisors.transactionAdvisor(coordinator, () -> properties.getObject().defaultTimeout());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxTccTryAdvisor(ObjectProvider<TccActionRegistry> actions, ObjectProvider<BranchEntry> entry) {
		return TccAdvisors.tryAdvisor(actions, entry);
	}

}
