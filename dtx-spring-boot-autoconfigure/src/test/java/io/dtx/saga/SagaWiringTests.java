package io.dtx.saga;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSagaAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxTccAutoConfiguration;
import io.dtx.autoconfigure.DtxWebAutoConfiguration;
import io.dtx.coordinator.Recovery;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.coordinator.TransactionModes;
import io.dtx.core.Backoff;
import io.dtx.tcc.TccCoordinator;
import io.dtx.web.PhaseTwoController;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Wrong saga wiring stops the application at start-up with a message that names the bean
 * and the method; the conditions of the saga auto-configuration.
 */
class SagaWiringTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
			DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class,
			DtxSagaAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:saga-wiring-" + UUID.randomUUID());

	@Test
	void stepWithoutItsCompensationNamesBeanAndMethod() {
		this.contextRunner.withBean("payments", NoCompensation.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'payments'")
			.contains("@SagaStep method charge(String, int) names compensate = \"refund\", but the bean has no such "
					+ "method. Add refund(String, int) or (String, int, Long)"));
	}

	@Test
	void compensationWithOtherParametersNamesBeanAndMethod() {
		this.contextRunner.withBean("payments", WrongParameters.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'payments'")
			.contains("@SagaStep method charge(String, int) names compensate = \"refund\", but method "
					+ "refund(String, long) does not take the step's parameters"));
	}

	@Test
	void compensationWhoseLastParameterIsNotTheStepsResultNamesBeanAndMethod() {
		this.contextRunner.withBean("payments", WrongResult.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'payments'")
			.contains("method refund(String, int, String) does not take the step's parameters"));
	}

	@Test
	void backoffThatIsNoDurationNamesBeanAndMethod() {
		this.contextRunner.withBean("payments", BadBackoff.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'payments'")
			.contains("@SagaStep method charge(String, int) has backoff = \"soon\", which is no duration"));
	}

	@Test
	void privateCompensationRunsOnTheBeanNotOnItsProxy() {
		this.contextRunner.withBean(Ledger.class).withBean(LedgerSaga.class).run((context) -> {
			Ledger ledger = context.getBean(Ledger.class);
			assertThat(AopUtils.isAopProxy(ledger)).as("proxied for its @SagaStep").isTrue();
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(LedgerSaga.class).book("rent"))
				.withMessage("the saga fails after its step");
			// a private method called on the CGLIB proxy would have met a null list
			assertThat(ledger.entries()).as("the step compensated").isEmpty();
		});
	}

	@Test
	void twoStepsOfOneNameNameTheBean() {
		this.contextRunner.withBean("payments", Overloaded.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'payments'")
			.contains("are both @SagaStep methods named charge"));
	}

	@Test
	void compensationMayTakeTheStepsResultOrNot() {
		this.contextRunner.withBean("payments", WithResult.class)
			.withBean("stock", WithoutResult.class)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Sagas.class));
	}

	@Test
	void sagasShareTheCoreWithTcc() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SagaCoordinator.class).hasSingleBean(TccCoordinator.class);
			assertThat(context.getBeansOfType(TransactionMode.class)).hasSize(2);
			assertThat(context.getBean(TransactionModes.class).names()).containsExactlyInAnyOrder("TCC", "SAGA");
		});
	}

	@Test
	void sagaAdvisorsRunOutsideSpringsTransactionAdvisor() {
		assertThat(SagaAdvisors.SAGA_ORDER).isLessThan(SagaAdvisors.STEP_ORDER);
		assertThat(SagaAdvisors.STEP_ORDER).isLessThan(Ordered.LOWEST_PRECEDENCE);
		this.contextRunner.run((context) -> assertThat(context.getBeansOfType(org.springframework.aop.Advisor.class)
			.values()
			.stream()
			.sorted(AnnotationAwareOrderComparator.INSTANCE)
			.map((advisor) -> advisor.getClass().getSimpleName() + " " + ((Ordered) advisor).getOrder())
			.toList()).contains("DefaultPointcutAdvisor " + SagaAdvisors.SAGA_ORDER,
					"DefaultPointcutAdvisor " + SagaAdvisors.STEP_ORDER,
					"BeanFactoryTransactionAttributeSourceAdvisor " + Ordered.LOWEST_PRECEDENCE));
	}

	@Test
	void sagasDisabledLeavesMethodsAlone() {
		this.contextRunner.withBean("payments", NoCompensation.class)
			.withPropertyValues("dtx.saga.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(SagaCoordinator.class).doesNotHaveBean(Sagas.class);
				context.getBean(NoCompensation.class).charge("alice", 1);
			});
	}

	@Test
	void dtxDisabledLeavesEverythingAlone() {
		this.contextRunner.withBean("payments", NoCompensation.class)
			.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SagaCoordinator.class)
				.doesNotHaveBean(Recovery.class));
	}

	@Test
	void yourOwnCoordinatorWins() {
		this.contextRunner.withUserConfiguration(OwnCoordinator.class)
			.run((context) -> assertThat(context).getBean(SagaCoordinator.class)
				.isSameAs(context.getBean("myCoordinator")));
	}

	@Test
	void noDataSourceMeansNoSagas() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DtxCoreAutoConfiguration.class, DtxSagaAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SagaCoordinator.class));
	}

	@Test
	void phaseTwoEndpointServesSagasWithTccTurnedOff() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withConfiguration(AutoConfigurations.of(DtxWebAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:saga-web-" + UUID.randomUUID(),
					"dtx.tcc.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TccCoordinator.class)
				.hasSingleBean(PhaseTwoController.class));
	}

	private static String failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage();
	}

	static class BadBackoff {

		@SagaStep(compensate = "refund", maxAttempts = 3, backoff = "soon")
		public void charge(String account, int amount) {
		}

		public void refund(String account, int amount) {
		}

	}

	static class Ledger {

		private final List<String> entries = new CopyOnWriteArrayList<>();

		@SagaStep(compensate = "strike")
		public void enter(String entry) {
			this.entries.add(entry);
		}

		private void strike(String entry) {
			this.entries.remove(entry);
		}

		public List<String> entries() {
			return List.copyOf(this.entries);
		}

	}

	static class LedgerSaga {

		private final Ledger ledger;

		LedgerSaga(Ledger ledger) {
			this.ledger = ledger;
		}

		@Saga(name = "book")
		public void book(String entry) {
			this.ledger.enter(entry);
			throw new IllegalStateException("the saga fails after its step");
		}

	}

	static class NoCompensation {

		@SagaStep(compensate = "refund")
		public Long charge(String customer, int amount) {
			return 1L;
		}

	}

	static class WrongParameters {

		@SagaStep(compensate = "refund")
		public void charge(String customer, int amount) {
		}

		public void refund(String customer, long amount) {
		}

	}

	static class WrongResult {

		@SagaStep(compensate = "refund")
		public Long charge(String customer, int amount) {
			return 1L;
		}

		public void refund(String customer, int amount, String chargeId) {
		}

	}

	static class Overloaded {

		@SagaStep(compensate = "refund")
		public void charge(String customer, int amount) {
		}

		@SagaStep(compensate = "refund")
		public void charge(String customer, long amount) {
		}

		public void refund(String customer, int amount) {
		}

	}

	static class WithResult {

		@SagaStep(compensate = "refund")
		public Long charge(String customer, int amount) {
			return 1L;
		}

		public void refund(String customer, int amount, Long chargeId) {
		}

	}

	static class WithoutResult {

		@SagaStep(compensate = "release")
		public Long reserve(String item, int quantity) {
			return 1L;
		}

		public void release(String item, int quantity) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCoordinator {

		@Bean
		SagaCoordinator myCoordinator(TransactionModeSupport support, SagaStepRegistry steps) {
			return new SagaCoordinator(support, steps,
					new SagaCoordinator.Compensation(1, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))));
		}

	}

}
