package io.dtx.tcc;

import java.util.List;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxTccAutoConfiguration;
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
 * TCC on hot rows, through the real auto-configuration: {@value HotRows#ORDERS} orders
 * from {@value HotRows#CALLERS} threads, each freezing funds on one shared account row and
 * reserving units on one shared stock row, every fifth throwing once both tries
 * committed. Two phase twos that lock those rows in opposite orders, or a failed confirm
 * that waits for a lease, are dtx's to absorb: no caller may hear of them, and nothing may
 * stay held once the callers are done. One subclass per database, on its default
 * isolation level; recovery at its defaults but for its interval.
 */
abstract class TccHotRowContractTests {

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	private ApplicationContextRunner contextRunner() {
		String[] database = emptyDatabase();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class))
			.withUserConfiguration(ShopConfiguration.class)
			// the lease stays at its 30 s: holds must be released without waiting for one
			.withPropertyValues("spring.datasource.url=" + database[0], "spring.datasource.username=" + database[1],
					"spring.datasource.password=" + database[2], "dtx.recovery.interval=1s");
	}

	@Test
	void synchronousPhaseTwo() {
		contextRunner().run((context) -> placeOrdersOnHotRows(context, "synchronous"));
	}

	@Test
	void asynchronousPhaseTwo() {
		contextRunner().withPropertyValues("dtx.tcc.async-phase-two=true")
			.run((context) -> placeOrdersOnHotRows(context, "asynchronous"));
	}

	private void placeOrdersOnHotRows(AssertableApplicationContext context, String phaseTwo) throws Exception {
		assertThat(context).hasNotFailed();
		TccHotRowShop.Orders orders = context.getBean(TccHotRowShop.Orders.class);
		TccHotRowShop.Account account = context.getBean(TccHotRowShop.Account.class);
		TccHotRowShop.Stock stock = context.getBean(TccHotRowShop.Stock.class);
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		HotRows.Outcomes outcomes = HotRows.placeAll(orders::place);
		HotRows.Settling settling = HotRows.settle(() -> {
			assertThat(account.frozen()).as("funds frozen").isZero();
			assertThat(stock.reserved()).as("units reserved").isZero();
			HotRows.assertDecided(jdbc, "global transactions");
		});
		HotRows.Expected expected = new HotRows.Expected(orders::xid, orders::rejection, "rejection",
				List.of("freeze", "pay", "reserve", "ship"), List.of("freeze", "release", "reserve", "unfreeze"));

		SoftAssertions softly = new SoftAssertions();
		HotRows.Confirmed confirmed = HotRows.check(softly, getClass().getSimpleName() + " (" + phaseTwo
				+ " phase two)", outcomes, settling, expected, jdbc, context.getBean(HotRowLedger.class));
		softly.assertThat(account.balance()).as("balance: opening less the confirmed orders")
			.isEqualTo(HotRowShop.OPENING - confirmed.amount());
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
		TccHotRowShop.Account account(DataSource dataSource, HotRowLedger ledger) {
			return new TccHotRowShop.Account(dataSource, ledger);
		}

		@Bean
		TccHotRowShop.Stock stock(DataSource dataSource, HotRowLedger ledger) {
			return new TccHotRowShop.Stock(dataSource, ledger);
		}

		@Bean
		TccHotRowShop.Orders orders(TccHotRowShop.Account account, TccHotRowShop.Stock stock) {
			return new TccHotRowShop.Orders(account, stock);
		}

	}

}
