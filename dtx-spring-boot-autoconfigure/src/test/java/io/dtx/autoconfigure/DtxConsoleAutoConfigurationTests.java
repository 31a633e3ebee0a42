package io.dtx.autoconfigure;

import java.util.UUID;

import io.dtx.ops.DtxConsole;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page's auto-configuration: off by default, on with
 * {@code dtx.console.enabled=true} where the endpoint {@code dtx} is available on the
 * application's port, under the actuator base path, its actions only where the endpoint's
 * access lets writes through.
 */
class DtxConsoleAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
			DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
			DtxSagaAutoConfiguration.class, EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
			DtxOpsAutoConfiguration.class, DtxConsoleAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:console-" + UUID.randomUUID(),
				"dtx.recovery.enabled=false", "management.endpoints.web.exposure.include=dtx");

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
	}

	@Test
	void enabledItServesThePageUnderTheActuatorBasePath() {
		this.contextRunner.withPropertyValues("dtx.console.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(DtxConsole.class);
			DtxConsole console = context.getBean(DtxConsole.class);
			assertThat(console.isWritable()).isTrue();
			assertThat(console.getHandlerMap()).containsOnlyKeys("/actuator/dtx-console", "/actuator/dtx-console/**");
		});
	}

	@Test
	void followsTheBasePath() {
		this.contextRunner
			.withPropertyValues("dtx.console.enabled=true", "management.endpoints.web.base-path=/manage/")
			.run((context) -> assertThat(context.getBean(DtxConsole.class).getHandlerMap())
				.containsOnlyKeys("/manage/dtx-console", "/manage/dtx-console/**"));
	}

	// the runner's environment converts enums by their names only; an application's also reads read-only
	@Test
	void readOnlyEndpointReadOnlyConsole() {
		this.contextRunner.withPropertyValues("dtx.console.enabled=true", "management.endpoint.dtx.access=READ_ONLY")
			.run((context) -> assertThat(context.getBean(DtxConsole.class).isWritable()).isFalse());
		this.contextRunner
			.withPropertyValues("dtx.console.enabled=true", "management.endpoints.access.max-permitted=READ_ONLY")
			.run((context) -> assertThat(context.getBean(DtxConsole.class).isWritable()).isFalse());
	}

	@Test
	void notWithoutTheEndpoint() {
		this.contextRunner
			.withPropertyValues("dtx.console.enabled=true", "management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
		this.contextRunner.withPropertyValues("dtx.console.enabled=true", "management.endpoint.dtx.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
	}

	@Test
	void notInTheApplicationsContextWhenTheManagementPortIsItsOwn() {
		this.contextRunner.withPropertyValues("dtx.console.enabled=true", "management.server.port=8081")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
	}

	@Test
	void notWithDtxOff() {
		this.contextRunner.withPropertyValues("dtx.console.enabled=true", "dtx.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
	}

	@Test
	void notWithoutSpringMvc() {
		this.contextRunner.withPropertyValues("dtx.console.enabled=true")
			.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
	}

	@Test
	void notOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:console-" + UUID.randomUUID(),
					"dtx.recovery.enabled=false", "management.endpoints.web.exposure.include=dtx",
					"dtx.console.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxConsole.class));
	}

	@Test
	void aUserBeanWins() {
		this.contextRunner.withPropertyValues("dtx.console.enabled=true")
			.withBean(DtxConsole.class, () -> new DtxConsole("/ops", false))
			.run((context) -> assertThat(context.getBean(DtxConsole.class).isWritable()).isFalse());
	}

}
