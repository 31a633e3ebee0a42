package io.dtx.saga;

import java.util.List;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSagaAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.test.HotRowLedger;
import io.dtx.test.HotRowShop;
import io.dtx.test.HotRows;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sagas on hot rows, through the real auto-configuration: {@value HotRows#ORDERS} sagas
 * from {@value HotRows#CALLERS} threads, each charging one shared account row, reserving
 * on one shared stock row and awarding points on the account row, the last step of every
 * fifth refused. Whatever the steps, compensations and decisions do to one another on
 * those rows is dtx's to absorb: no caller may hear of it, and nothing may stay
 * uncompensated once the callers are done. One subclass per database, on its default
 * isolation level; recovery at its defaults but for its interval.
 */
abstract class SagaHotRowContractTests {

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	private ApplicationContextRunner contextRunner() {
		String[] database = emptyDatabase();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxSagaAutoConfiguration.class))
			.withUserConfiguration(ShopConfiguration.class)
			// the lease stays at its 30 s: compensations must not wait for one to run out
			.withPropertyValues("spring.datasource.url=" + database[0], "spring.datasource.username=" + database[1],
					"spring.datasource.password=" + database[2], "dtx.recovery.interval=1s");
	}

	// sagas have no asynchronous variant: a saga's method returns once its steps committed,
	// and compensates on the caller's thread before its exception is rethrown
	@Test
	void sagasOfThreeStepsOnHotRows() {
		contextRunner().run(this::placeOrdersOnHotRows);
	}

	private void placeOrdersOnHotRows(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		SagaHotRowShop.Orders orders = context.getBean(SagaHotRowShop.Orders.class);
		SagaHotRowShop.Account account = context.getBean(SagaHotRowShop.Account.class);
		SagaHotRowShop.Stock stock = context.getBean(SagaHotRowShop.Stock.class);
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		HotRows.Outcomes outcomes = HotRows.placeAll(orders::place);
		HotRows.Settling settling = HotRows.settle(() -> HotRows.assertDecided(jdbc, "sagas"));
		// the refused award rolled back with its step; the two before it were compensated
		HotRows.Expected expected = new HotRows.Expected(orders::xid, account::refusal, "refusal",
				List.of("award", "charge", "reserve"), List.of("charge", "refund", "release", "reserve"));

		SoftAssertions softly = new SoftAssertions();
		HotRows.Confirmed confirmed = HotRows.check(softly, getClass().getSimpleName(), outcomes, settling, expected,
				jdbc, context.getBean(HotRowLedger.class));
		softly.assertThat(account.balance()).as("balance: opening less the confirmed orders")
			.isEqualTo(HotRowShop.OPENING - confirmed.amount());
		softly.assertThat(account.points()).as("points: one per unit of the confirmed orders")
			.isEqualTo(confirmed.units());
		softly.assertThat(stock.available()).as("available: opening less the confirmed orders")
			.isEqualTo(HotRowShop.OPENING - confirmed.units());
		softly.assertAll();
	}

	@Configuration(proxyBeanMethods = false)
	static class ShopConfiguration {

		@Bean
		HotRowLedger hotRowLedger(DataSource dataSource) {
			return new HotRowLedger(dataSource);
		}

		@Bean
		SagaHotRowShop.Account account(DataSource dataSource, HotRowLedger ledger) {
			return new SagaHotRowShop.Account(dataSource, ledger);
		}

		@Bean
		SagaHotRowShop.Stock stock(DataSource dataSource, HotRowLedger ledger) {
			return new SagaHotRowShop.Stock(dataSource, ledger);
		}

		@Bean
		SagaHotRowShop.Orders orders(SagaHotRowShop.Account account, SagaHotRowShop.Stock stock) {
			return new SagaHotRowShop.Orders(account, stock);
		}

	}

}
