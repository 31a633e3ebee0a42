package io.dtx.tcc;

import java.util.UUID;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxTccAutoConfiguration;
import io.dtx.coordinator.Recovery;
import io.dtx.core.BranchContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong TCC wiring stops the application at start-up with a message that names the bean
 * and the method; the conditions of the TCC auto-configuration.
 */
class TccWiringTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:tcc-wiring-" + UUID.randomUUID());

	@Test
	void tryWithoutConfirmNamesBeanAndMethod() {
		this.contextRunner.withBean("inventory", NoConfirm.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'inventory'")
			.contains("@TccTry(\"hold\") method hold(String, int) has no @Confirm(\"hold\") method")
			.contains("(String, int) or (String, int, BranchContext)"));
	}

	@Test
	void cancelWithOtherParametersNamesBeanAndMethod() {
		this.contextRunner.withBean("inventory", WrongCancel.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'inventory'")
			.contains("@Cancel(\"hold\") method release(String, long) must take the parameters of its try "
					+ "method hold(String, int)"));
	}

	@Test
	void confirmWithoutTryNamesBean() {
		this.contextRunner.withBean("inventory", OrphanConfirm.class).run((context) -> assertThat(failure(context))
			.contains("Bean 'inventory'")
			.contains("@Confirm(\"ship\") has no @TccTry(\"ship\") method on the same bean"));
	}

	@Test
	void phaseTwoMethodsMayTakeTheBranchContext() {
		this.contextRunner.withBean("inventory", WithContext.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void tccDisabledLeavesMethodsAlone() {
		this.contextRunner.withBean("inventory", NoConfirm.class)
			.withPropertyValues("dtx.tcc.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(TccCoordinator.class);
				context.getBean(NoConfirm.class).hold("widget", 1);
			});
	}

	@Test
	void dtxDisabledLeavesEverythingAlone() {
		this.contextRunner.withBean("inventory", NoConfirm.class)
			.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TccCoordinator.class)
				.doesNotHaveBean(Recovery.class));
	}

	@Test
	void recoveryCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("dtx.recovery.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TccCoordinator.class).doesNotHaveBean(Recovery.class));
	}

	@Test
	void noDataSourceMeansNoTcc() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TccCoordinator.class));
	}

	private static String failure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage();
	}

	static class NoConfirm {

		@TccTry("hold")
		public void hold(String item, int quantity) {
		}

		@Cancel("hold")
		public void release(String item, int quantity) {
		}

	}

	static class WrongCancel {

		@TccTry("hold")
		public void hold(String item, int quantity) {
		}

		@Confirm("hold")
		public void commit(String item, int quantity) {
		}

		@Cancel("hold")
		public void release(String item, long quantity) {
		}

	}

	static class OrphanConfirm {

		@Confirm("ship")
		public void ship(String item) {
		}

	}

	static class WithContext {

		@TccTry("hold")
		public void hold(String item, int quantity) {
		}

		@Confirm("hold")
		public void commit(String item, int quantity, BranchContext branch) {
		}

		@Cancel("hold")
		public void release(String item, int quantity) {
		}

	}

}
