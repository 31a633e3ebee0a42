package io.dtx.autoconfigure;

import java.util.UUID;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantLog;
import io.dtx.coordinator.Recovery;
import io.dtx.coordinator.Retention;
import io.dtx.coordinator.TransactionObserver;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.DtxTables;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator's auto-configuration: what it sets up, what an application may
 * replace, and when it backs off.
 */
class DtxCoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, DtxSchemaAutoConfiguration.class,
				DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:coordinator-" + UUID.randomUUID());

	@Test
	void setsUpTheLogTheFenceTheParticipantsRecoveryAndRetention() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(GlobalTransactionLog.class)
				.hasSingleBean(BranchFence.class)
				.hasSingleBean(ParticipantLog.class)
				.hasSingleBean(ArgumentCodec.class)
				.hasSingleBean(Recovery.class)
				.hasSingleBean(Retention.class)
				.doesNotHaveBean(TransactionObserver.class);
			assertThat(context.getBean("dtxPhaseTwoExecutor", ThreadPoolTaskExecutor.class).getCorePoolSize())
				.isEqualTo(8);
		});
	}

	@Test
	void sizesThePhaseTwoExecutorByTheRecoveryKey() {
		this.contextRunner.withPropertyValues("dtx.recovery.phase-two-threads=3")
			.run((context) -> assertThat(
					context.getBean("dtxPhaseTwoExecutor", ThreadPoolTaskExecutor.class).getCorePoolSize())
				.isEqualTo(3));
	}

	@Test
	void runsNoRecoveryWhereRecoveryIsOff() {
		this.contextRunner.withPropertyValues("dtx.recovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Recovery.class)
				.hasSingleBean(GlobalTransactionLog.class));
	}

	@Test
	void deletesNothingWhereRetentionIsOff() {
		this.contextRunner.withPropertyValues("dtx.retention.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Retention.class)
				.hasSingleBean(GlobalTransactionLog.class));
	}

	@Test
	void backsOffWhenTheCoordinatorOrDtxIsOff() {
		this.contextRunner.withPropertyValues("dtx.coordinator.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DtxTables.class)
				.doesNotHaveBean(GlobalTransactionLog.class)
				.doesNotHaveBean(Recovery.class)
				.doesNotHaveBean(Retention.class));
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DtxTables.class)
				.doesNotHaveBean(GlobalTransactionLog.class));
	}

	@Test
	void keepsACodecOfTheApplications() {
		ArgumentCodec own = new ArgumentCodec(new JsonMapper());
		this.contextRunner.withBean(ArgumentCodec.class, () -> own)
			.run((context) -> assertThat(context).getBean(ArgumentCodec.class).isSameAs(own));
	}

	@Test
	void bringsTheTablesAlongWhenNamedAlone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, DtxCoreAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:coordinator-alone-" + UUID.randomUUID(),
					"dtx.schema.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DtxTables.class)
				.hasSingleBean(GlobalTransactionLog.class));
	}

	@Test
	void observesTransactionsWhereAMeterRegistryIsThere() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(TransactionObserver.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TransactionObserver.class));
	}

}
