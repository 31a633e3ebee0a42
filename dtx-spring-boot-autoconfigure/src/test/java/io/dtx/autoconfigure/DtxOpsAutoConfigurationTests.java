package io.dtx.autoconfigure;

import java.util.List;
import java.util.UUID;

import io.dtx.ops.DtxEndpoint;
import io.dtx.ops.DtxHealthIndicator;
import io.dtx.ops.DtxMetrics;
import io.dtx.ops.DtxOperations;
import io.dtx.ops.FailedSagas;
import io.dtx.ops.ParkedWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operating dtx's auto-configuration: the endpoint only where exposed, the health
 * contributor unless turned off, the gauges with a registry, the parked work of the modes
 * that run, and nothing at all without Actuator.
 */
class DtxOpsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
				DtxSagaAutoConfiguration.class, DtxOpsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:ops-" + UUID.randomUUID(),
				"dtx.recovery.enabled=false");

	@Test
	void exposedItSetsUpTheEndpointTheHealthAndTheSagasParkedWork() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=dtx")
			.run((context) -> {
				assertThat(context).hasSingleBean(DtxOperations.class)
					.hasSingleBean(DtxEndpoint.class)
					.hasSingleBean(FailedSagas.class)
					.hasBean("dtxHealthIndicator")
					.doesNotHaveBean(DtxMetrics.class);
				assertThat(context.getBean(DtxOperations.class).parkedWork()).extracting(ParkedWork::name)
					.containsExactly("failed-sagas");
				assertThat(context.getBean(DtxOperations.class).summary().transactions()).isNotNull();
			});
	}

	@Test
	void notExposedItHasNoEndpointButHealth() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(DtxEndpoint.class)
			.hasSingleBean(DtxHealthIndicator.class));
	}

	@Test
	void theHealthIndicatorTurnsOff() {
		this.contextRunner.withPropertyValues("management.health.dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DtxHealthIndicator.class));
	}

	@Test
	void withoutActuatorNothing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=dtx")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DtxOperations.class)
				.doesNotHaveBean(DtxEndpoint.class)
				.doesNotHaveBean("dtxHealthIndicator"));
	}

	@Test
	void dtxOffNothing() {
		this.contextRunner.withPropertyValues("dtx.enabled=false", "management.endpoints.web.exposure.include=dtx")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxOperations.class));
	}

	@Test
	void withoutTheCoordinatorOnlyParkedWork() {
		this.contextRunner.withPropertyValues("dtx.coordinator.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(DtxOperations.class).doesNotHaveBean(FailedSagas.class);
				assertThat(context.getBean(DtxOperations.class).summary().transactions()).isNull();
			});
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=dtx")
			.withBean("dtxHealthIndicator", DtxHealthIndicator.class,
					() -> new DtxHealthIndicator(new DtxOperations(null, null, null, null, null, List.of()), null))
			.withBean(DtxEndpoint.class, () -> new DtxEndpoint(new DtxOperations(null, null, null, null, null, List.of())))
			.withBean(ParkedWork.class, Lost::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(DtxEndpoint.class).hasSingleBean(DtxHealthIndicator.class);
				assertThat(context.getBean(DtxOperations.class).parkedWork()).extracting(ParkedWork::name)
					.containsExactlyInAnyOrder("failed-sagas", "lost-parcels");
			});
	}

	@Test
	void gaugesWithARegistry() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(DtxMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("dtx.transactions.in-flight").gauge().value()).isZero();
			assertThat(registry.get("dtx.transactions.stuck").gauge().value()).isZero();
			assertThat(registry.get("dtx.sagas.failed").gauge().value()).isZero();
		});
	}

	// a later mode's parked work, registered as a bean
	static class Lost implements ParkedWork {

		@Override
		public String name() {
			return "lost-parcels";
		}

		@Override
		public String meterName() {
			return "dtx.parcels.lost";
		}

		@Override
		public long count() {
			return 0;
		}

		@Override
		public List<?> list(int limit) {
			return List.of();
		}

		@Override
		public @Nullable String retry(String id) {
			return null;
		}

	}

}
