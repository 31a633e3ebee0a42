package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.dtx.tcc.TccActionRegistry;
import io.dtx.tcc.TccCoordinator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCC's auto-configuration: what it sets up, which keys it reads, and when it backs off.
 */
class DtxTccAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
				DtxTccAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:tcc-" + UUID.randomUUID(), "dtx.recovery.enabled=false");

	@Test
	void setsUpTheCoordinatorTheActionsAndTheAdvisors() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TccCoordinator.class)
			.hasSingleBean(TccActionRegistry.class)
			.hasBean("dtxTccTransactionAdvisor")
			.hasBean("dtxTccTryAdvisor"));
	}

	@Test
	void bindsItsKeysUnderDtxTcc() {
		this.contextRunner.withPropertyValues("dtx.tcc.default-timeout=12s", "dtx.tcc.async-phase-two=true")
			.run((context) -> {
				DtxTccProperties tcc = context.getBean(DtxTccProperties.class);
				assertThat(tcc.defaultTimeout()).isEqualTo(Duration.ofSeconds(12));
				assertThat(tcc.asyncPhaseTwo()).isTrue();
			});
	}

	@Test
	void backsOffWhenTccTheCoordinatorOrDtxIsOff() {
		for (String off : new String[] { "dtx.tcc.enabled=false", "dtx.coordinator.enabled=false",
				"dtx.enabled=false" }) {
			this.contextRunner.withPropertyValues(off)
				.run((context) -> assertThat(context).as(off)
					.hasNotFailed()
					.doesNotHaveBean(TccCoordinator.class)
					.doesNotHaveBean("dtxTccTransactionAdvisor"));
		}
	}

	@Test
	void backsOffWithoutADataSource() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
					DtxTccAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TccCoordinator.class));
	}

}
