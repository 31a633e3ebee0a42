package io.dtx.autoconfigure;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.core.Backoff;
import io.dtx.saga.SagaAdvisors;
import io.dtx.saga.SagaCoordinator;
import io.dtx.saga.SagaStepRegistry;
import io.dtx.saga.Sagas;

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

/**
 * Sagas: {@code @Saga} and {@code @SagaStep} methods intercepted, their compensations
 * checked at start-up, and their sagas compensated, retried and recovered on the core
 * TCC uses too.
 */
@AutoConfiguration(after = DtxCoreAutoConfiguration.class,
		afterName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnBooleanProperty(name = "dtx.saga.enabled", matchIfMissing = true)
@ConditionalOnCoordinator
@EnableConfigurationProperties(DtxSagaProperties.class)
@Import(DtxAutoProxyRegistrar.class)
public final class DtxSagaAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static SagaStepRegistry dtxSagaStepRegistry(ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<ArgumentCodec> codec, ObjectProvider<DtxSagaProperties> properties) {
		DtxSagaProperties.Step step = properties.getObject().step();
		return new SagaStepRegistry(beanFactory, codec.getObject(),
				new SagaStepRegistry.StepRetries(step.maxAttempts(), step.backoff(), step.maxBackoff()));
	}

	@Bean
	@ConditionalOnMissingBean
	SagaCoordinator dtxSagaCoordinator(TransactionModeSupport support, SagaStepRegistry steps, DtxSagaProperties saga) {
		DtxSagaProperties.Compensation compensation = saga.compensation();
		return new SagaCoordinator(support, steps, new SagaCoordinator.Compensation(
				compensation.maxAttempts(), new Backoff(compensation.initialBackoff(), compensation.maxBackoff())));
	}

	@Bean
	@ConditionalOnMissingBean
	Sagas dtxSagas(GlobalTransactionLog log, SagaCoordinator coordinator) {
		return new Sagas(log, coordinator);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxSagaAdvisor(ObjectProvider<SagaCoordinator> coordinator,
			ObjectProvider<DtxSagaProperties> properties) {
		return SagaAdvisors.sagaAdvisor(coordinator, () -> properties.getObject().defaultTimeout());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxSagaStepAdvisor(ObjectProvider<SagaStepRegistry> steps, ObjectProvider<BranchEntry> entry) {
		return SagaAdvisors.stepAdvisor(steps, entry);
	}

}
