package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.dtx.saga.SagaCoordinator;
import io.dtx.saga.SagaStepRegistry;
import io.dtx.saga.Sagas;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sagas' auto-configuration: what it sets up, which keys it reads, and when it backs
 * off.
 */
class DtxSagaAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
				DtxSagaAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:saga-" + UUID.randomUUID(),
				"dtx.recovery.enabled=false");

	@Test
	void setsUpTheCoordinatorTheStepsSagasAndTheAdvisors() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SagaCoordinator.class)
			.hasSingleBean(SagaStepRegistry.class)
			.hasSingleBean(Sagas.class)
			.hasBean("dtxSagaAdvisor")
			.hasBean("dtxSagaStepAdvisor"));
	}

	@Test
	void bindsItsKeysUnderDtxSaga() {
		this.contextRunner
			.withPropertyValues("dtx.saga.default-timeout=90s", "dtx.saga.compensation.max-attempts=4",
					"dtx.saga.step.max-attempts=3", "dtx.saga.step.backoff=50ms")
			.run((context) -> {
				DtxSagaProperties saga = context.getBean(DtxSagaProperties.class);
				assertThat(saga.defaultTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(saga.compensation().maxAttempts()).isEqualTo(4);
				assertThat(saga.step().maxAttempts()).isEqualTo(3);
				assertThat(saga.step().backoff()).isEqualTo(Duration.ofMillis(50));
			});
	}

	@Test
	void backsOffWhenSagasTheCoordinatorOrDtxIsOff() {
		for (String off : new String[] { "dtx.saga.enabled=false", "dtx.coordinator.enabled=false",
				"dtx.enabled=false" }) {
			this.contextRunner.withPropertyValues(off)
				.run((context) -> assertThat(context).as(off)
					.hasNotFailed()
					.doesNotHaveBean(SagaCoordinator.class)
					.doesNotHaveBean(Sagas.class)
					.doesNotHaveBean("dtxSagaAdvisor"));
		}
	}

}
