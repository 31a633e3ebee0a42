package io.dtx.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.dtx.coordinator.InDoubtResolver;
import io.dtx.web.ContextPropagation;
import io.dtx.web.DtxClientHttpRequestInterceptor;
import io.dtx.web.HttpCoordinationClient;
import io.dtx.web.PhaseTwoController;
import io.dtx.web.RequestSigner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP auto-configuration: the client side in every application with a mode, the
 * phase-two endpoints in a servlet application, the keys it reads, and when it backs off.
 */
class DtxWebAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
			DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
			DtxTccAutoConfiguration.class, DtxWebAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:web-" + UUID.randomUUID(), "dtx.recovery.enabled=false",
				"dtx.http.secret=s3cret");

	@Test
	void setsUpTheClientSideWithoutEndpointsOutsideAWebApplication() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RequestSigner.class)
			.hasSingleBean(HttpCoordinationClient.class)
			.hasSingleBean(InDoubtResolver.class)
			.hasSingleBean(ContextPropagation.class)
			.hasSingleBean(DtxClientHttpRequestInterceptor.class)
			.hasSingleBean(RestClientCustomizer.class)
			.doesNotHaveBean(PhaseTwoController.class));
	}

	@Test
	void servesThePhaseTwoEndpointsInAServletApplication() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:web-servlet-" + UUID.randomUUID(),
					"dtx.recovery.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(PhaseTwoController.class).hasBean("dtxServerFilter"));
	}

	@Test
	void callsParticipantsOnThePhaseTwoThreadsUnlessGivenThreadsOfTheirOwn() {
		this.contextRunner.withPropertyValues("dtx.recovery.phase-two-threads=5")
			.run((context) -> assertThat(context).doesNotHaveBean("dtxHttpCallExecutor")
				.getBean(HttpCoordinationClient.class)
				.extracting("executor")
				.isSameAs(context.getBean("dtxPhaseTwoExecutor")));
		this.contextRunner.withPropertyValues("dtx.recovery.phase-two-threads=5", "dtx.http.call-threads=2")
			.run((context) -> {
				assertThat(callThreads(context.getBean("dtxHttpCallExecutor"))).isEqualTo(2);
				assertThat(callThreads(context.getBean("dtxPhaseTwoExecutor"))).isEqualTo(5);
				assertThat(context.getBean(HttpCoordinationClient.class)).extracting("executor")
					.isSameAs(context.getBean("dtxHttpCallExecutor"));
			});
	}

	@Test
	void asksAboutBranchesInDoubtAfterTheLeaseUnlessToldOtherwise() {
		this.contextRunner.withPropertyValues("dtx.recovery.lease=20s")
			.run((context) -> assertThat(context.getBean(DtxRecoveryProperties.class).inDoubtDelay())
				.isEqualTo(Duration.ofSeconds(20)));
		this.contextRunner.withPropertyValues("dtx.recovery.lease=20s", "dtx.recovery.in-doubt-delay=1m")
			.run((context) -> assertThat(context.getBean(DtxRecoveryProperties.class).inDoubtDelay())
				.isEqualTo(Duration.ofMinutes(1)));
	}

	@Test
	void keepsASignerOfTheApplications() {
		RequestSigner own = new RequestSigner("own", Duration.ofMinutes(1), Clock.systemUTC());
		this.contextRunner.withBean(RequestSigner.class, () -> own)
			.run((context) -> assertThat(context).getBean(RequestSigner.class).isSameAs(own));
	}

	@Test
	void backsOffWithoutAModeRestClientOrDtx() {
		this.contextRunner.withPropertyValues("dtx.tcc.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpCoordinationClient.class));
		this.contextRunner.withPropertyValues("dtx.coordinator.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ContextPropagation.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(RestClient.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpCoordinationClient.class));
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestSigner.class));
	}

	private static int callThreads(Object executor) {
		return ((ThreadPoolTaskExecutor) executor).getCorePoolSize();
	}

}
