package io.dtx.autoconfigure;

import java.time.Duration;

import io.dtx.core.DtxWiringException;
import io.dtx.saga.orchestration.SagaDefinition;
import io.dtx.saga.orchestration.SagaDefinitions;
import io.dtx.saga.orchestration.SagaMetrics;
import io.dtx.saga.orchestration.SagaOrchestrator;
import io.dtx.saga.orchestration.SagaParticipants;
import io.dtx.saga.orchestration.SagaReplies;
import io.dtx.saga.orchestration.SagaRetention;
import io.dtx.saga.orchestration.SagaInstances;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga definitions gathered and checked at start-up, where the application has any.
 */
class DtxSagaOrchestrationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DtxSagaOrchestrationAutoConfiguration.class));

	@Test
	void gathersTheApplicationsDefinitionsByName() {
		this.contextRunner.withUserConfiguration(TwoSagas.class).run((context) -> {
			SagaDefinitions definitions = context.getBean(SagaDefinitions.class);
			assertThat(definitions.all()).extracting(SagaDefinition::name)
				.containsExactlyInAnyOrder("place-order", "cancel-order");
			assertThat(definitions.get("place-order").steps()).hasSize(1);
		});
	}

	@Test
	void twoDefinitionsOfOneNameFailStartUpNamingTheSaga() {
		this.contextRunner.withUserConfiguration(TwoSagas.class, AnotherPlaceOrder.class)
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.startsWith("Saga 'place-order' is defined twice"));
	}

	@Test
	void aDefinitionThatCannotRunFailsStartUpNamingSagaAndStep() {
		this.contextRunner.withUserConfiguration(NoCommand.class).run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Saga 'place-order', step 'charge' sends no command and runs no local work");
			assertThat(analysis.getAction()).contains(".command(channel, build)");
		});
	}

	@Test
	void drivesTheDefinitionsOverKafkaWhereTheOutboxIsThere() {
		overKafka().withUserConfiguration(TwoSagas.class).run((context) -> {
			assertThat(context).hasSingleBean(SagaOrchestrator.class)
				.hasSingleBean(SagaReplies.class)
				.hasSingleBean(SagaParticipants.class);
			assertThat(DtxSagaOrchestrationAutoConfiguration.OverKafkaConfiguration
				.replyChannel(context.getBean(DtxSagaOrchestrationProperties.class), context.getEnvironment()))
				.isEqualTo("dtx.saga-replies");
		});
		overKafka().withUserConfiguration(TwoSagas.class)
			.withPropertyValues("spring.application.name=orders")
			.run((context) -> assertThat(DtxSagaOrchestrationAutoConfiguration.OverKafkaConfiguration
				.replyChannel(context.getBean(DtxSagaOrchestrationProperties.class), context.getEnvironment()))
				.isEqualTo("orders.saga-replies"));
		overKafka().withUserConfiguration(TwoSagas.class)
			.withPropertyValues("spring.application.name=orders", "dtx.saga.orchestration.reply-channel=replies")
			.run((context) -> assertThat(DtxSagaOrchestrationAutoConfiguration.OverKafkaConfiguration
				.replyChannel(context.getBean(DtxSagaOrchestrationProperties.class), context.getEnvironment()))
				.isEqualTo("replies"));
	}

	@Test
	void itsGaugeWithAMeterRegistryAndNoneWithoutMicrometer() {
		overKafka().withUserConfiguration(TwoSagas.class)
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(SagaMetrics.class));
		overKafka().withUserConfiguration(TwoSagas.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SagaOrchestrator.class)
				.doesNotHaveBean(SagaMetrics.class));
	}

	@Test
	void aParticipantWithoutDefinitionsHasNoOrchestrator() {
		overKafka().run((context) -> assertThat(context).hasSingleBean(SagaParticipants.class)
			.doesNotHaveBean(SagaOrchestrator.class)
			.doesNotHaveBean(SagaReplies.class));
	}

	@Test
	void retentionOfSagasAndOfTheirFenceRowsUnlessTurnedOff() {
		overKafka().withUserConfiguration(TwoSagas.class).run((context) -> {
			assertThat(context).hasSingleBean(SagaRetention.class).hasSingleBean(SagaInstances.class);
			assertThat(context.getBean(DtxSagaOrchestrationProperties.class).retention().keepFinished())
				.isEqualTo(Duration.ofDays(7));
		});
		overKafka().withUserConfiguration(TwoSagas.class)
			.withPropertyValues("dtx.saga.orchestration.retention.keep-finished=2d")
			.run((context) -> assertThat(context.getBean(DtxSagaOrchestrationProperties.class).retention().keepFinished())
				.isEqualTo(Duration.ofDays(2)));
		overKafka().run((context) -> assertThat(context).as("a participant's fence rows")
			.hasSingleBean(SagaRetention.class)
			.doesNotHaveBean(SagaInstances.class));
		overKafka().withUserConfiguration(TwoSagas.class)
			.withPropertyValues("dtx.saga.orchestration.retention.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SagaOrchestrator.class)
				.doesNotHaveBean(SagaRetention.class));
	}

	@Test
	void noOrchestratorWithoutTheOutbox() {
		overKafka().withUserConfiguration(TwoSagas.class)
			.withPropertyValues("dtx.outbox.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SagaDefinitions.class)
				.doesNotHaveBean(SagaOrchestrator.class)
				.doesNotHaveBean(SagaParticipants.class));
	}

	@Test
	void nothingWithoutDefinitionsOrWhenTurnedOff() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SagaDefinitions.class));
		this.contextRunner.withUserConfiguration(TwoSagas.class)
			.withPropertyValues("dtx.saga.orchestration.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SagaDefinitions.class));
		this.contextRunner.withUserConfiguration(TwoSagas.class)
			.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SagaDefinitions.class));
	}

	// the listeners start only with the context's lifecycle, which these runs never reach a broker in
	private ApplicationContextRunner overKafka() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, KafkaAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxOutboxAutoConfiguration.class,
					DtxSagaOrchestrationAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "dtx.outbox.relay-enabled=false",
					"dtx.coordinator.enabled=false");
	}

	private static FailureAnalysis analysis(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new DtxWiringFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("a DtxWiringException in the causes of " + failure).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(DtxWiringException.class);
		return analysis;
	}

	private static SagaDefinition<String> local(String name) {
		return SagaDefinition.builder(name, String.class).step("note").local((state) -> state + " noted").build();
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoSagas {

		@Bean
		SagaDefinition<String> placeOrder() {
			return local("place-order");
		}

		@Bean
		SagaDefinition<String> cancelOrder() {
			return local("cancel-order");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnotherPlaceOrder {

		@Bean
		SagaDefinition<String> placeOrderAgain() {
			return local("place-order");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoCommand {

		@Bean
		SagaDefinition<String> placeOrder() {
			return SagaDefinition.builder("place-order", String.class).step("charge").build();
		}

	}

}
