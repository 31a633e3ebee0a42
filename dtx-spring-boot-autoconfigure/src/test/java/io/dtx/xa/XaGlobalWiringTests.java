package io.dtx.xa;

import java.util.UUID;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxXaGlobalAutoConfiguration;
import io.dtx.coordinator.TransactionModes;
import io.dtx.core.DtxWiringException;
import io.dtx.test.DatabaseServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * XA across services is wired in every application with the coordinator, whatever its
 * database; {@code @XaBranch} and {@code @XaGlobalTransaction} methods that could never
 * work stop the application at start-up, naming the bean, the method and what to change.
 */
class XaGlobalWiringTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxXaGlobalAutoConfiguration.class));

	private ApplicationContextRunner onH2() {
		return this.contextRunner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:xa-wiring-" + UUID.randomUUID());
	}

	private ApplicationContextRunner on(DatabaseServer server) {
		server.assumeAvailable();
		return this.contextRunner.withPropertyValues("spring.datasource.url=" + server.url("postgres"),
				"spring.datasource.username=" + server.username(), "dtx.schema.enabled=false");
	}

	@Test
	void anApplicationWithoutXaMethodsStartsOnAnyDatabaseWithTheModeRegistered() {
		onH2().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(XaCoordinator.class);
			assertThat(context.getBean(TransactionModes.class).names()).contains(XaCoordinator.MODE);
		});
	}

	@Test
	void aBranchOnH2StopsStartupNamingTheBeanTheMethodAndTheDatabase() {
		onH2().withBean("transfers", Initiator.class).withBean("ledger", Ledger.class).run((context) -> {
			DtxWiringException failure = failure(context);
			assertThat(failure.getDescription()).contains("Bean 'ledger'")
				.contains("@XaBranch method post(String, int)")
				.contains("DataSource 'dataSource'")
				.contains("H2 cannot hold a prepared transaction");
			assertThat(failure.getAction()).contains("dtx.data-source").contains("PostgreSQL or MySQL/MariaDB");
		});
	}

	@Test
	void postgresWithoutPreparedTransactionsStopsStartupNamingTheSetting() {
		on(DatabaseServer.POSTGRESQL_WITHOUT_XA).withBean("transfers", Initiator.class).run((context) -> {
			DtxWiringException failure = failure(context);
			assertThat(failure.getDescription()).contains("Bean 'transfers'")
				.contains("@XaGlobalTransaction method transfer(int)")
				.contains("max_prepared_transactions = 0");
			assertThat(failure.getAction()).contains("ALTER SYSTEM SET max_prepared_transactions");
		});
	}

	@Test
	void aBranchNothingCanReachStopsStartup() {
		on(DatabaseServer.POSTGRESQL).withBean("ledger", Ledger.class).run((context) -> {
			DtxWiringException failure = failure(context);
			assertThat(failure.getDescription()).contains("Bean 'ledger'")
				.contains("@XaBranch method post(String, int) can never run")
				.contains("no @XaGlobalTransaction method and serves no web requests");
		});
	}

	@Test
	void aBranchWithItsInitiatorOnPostgresStarts() {
		on(DatabaseServer.POSTGRESQL).withBean("transfers", Initiator.class)
			.withBean("ledger", Ledger.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aBranchCalledOutsideAnyGlobalTransactionThrowsNamingIt() {
		on(DatabaseServer.POSTGRESQL).withBean("transfers", Initiator.class)
			.withBean("ledger", Ledger.class)
			.run((context) -> assertThatIllegalStateException().isThrownBy(() -> context.getBean(Ledger.class).post("a", 1))
				.withMessageContaining("@XaBranch method post(String, int) was called outside any @XaGlobalTransaction"));
	}

	@Test
	void disabledLeavesMethodsAlone() {
		onH2().withBean("ledger", Ledger.class)
			.withPropertyValues("dtx.xa.global.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(XaCoordinator.class);
				context.getBean(Ledger.class).post("a", 1);
			});
	}

	@Test
	void aUsersOwnCoordinatorIsKept() {
		onH2().withBean("dtxXaCoordinator", XaCoordinator.class,
				() -> new XaCoordinator(null, null))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(XaCoordinator.class));
	}

	private static DtxWiringException failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure != null && !(failure instanceof DtxWiringException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).toString())
			.isInstanceOf(DtxWiringException.class);
		return (DtxWiringException) failure;
	}

	static class Initiator {

		@XaGlobalTransaction
		public void transfer(int amount) {
		}

	}

	static class Ledger {

		@XaBranch
		public void post(String account, int amount) {
		}

	}

}
