package io.dtx.xa;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxXaAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.jta.JtaTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What an application gets from two {@code dtx.xa.datasources}: a plain
 * {@code @Transactional} method commits both databases or neither. One subclass per pair
 * of databases.
 */
abstract class XaTransactionContractTests {

	@TempDir
	Path logDir;

	/** JDBC URL, user and password of the "orders" database, recreated empty. */
	abstract String[] orders();

	/** JDBC URL, user and password of the "stock" database, recreated empty. */
	abstract String[] stock();

	/** A statement that keeps the orders database busy for two seconds. */
	abstract String slowStatement();

	/**
	 * Prepared branches the servers still hold for this test's transaction manager, which
	 * must be none once a test is over.
	 */
	abstract int preparedBranches(String transactionManagerId) throws Exception;

	private final String transactionManagerId = "xa-contract-" + java.util.UUID.randomUUID().toString().substring(0, 8);

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void prepareRunner() {
		String[] orders = orders();
		String[] stock = stock();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DtxXaAutoConfiguration.class, DtxSchemaAutoConfiguration.class,
					DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.withUserConfiguration(ShopConfiguration.class)
			.withPropertyValues("dtx.xa.log-dir=" + this.logDir,
					"dtx.xa.transaction-manager-id=" + this.transactionManagerId, "dtx.xa.datasources.orders.url=" + orders[0],
					"dtx.xa.datasources.orders.username=" + orders[1], "dtx.xa.datasources.orders.password=" + orders[2],
					"dtx.xa.datasources.orders.primary=true", "dtx.xa.datasources.stock.url=" + stock[0],
					"dtx.xa.datasources.stock.username=" + stock[1], "dtx.xa.datasources.stock.password=" + stock[2]);
	}

	@Test
	void xaDataSourcesBecomeBeansUnderOneJtaTransactionManager() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("orders")).isInstanceOf(DtxXaDataSource.class);
			assertThat(context.getBean("stock")).isInstanceOf(DtxXaDataSource.class);
			assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("orders"));
			assertThat(context).getBean(PlatformTransactionManager.class).isInstanceOf(JtaTransactionManager.class);
		});
	}

	@Test
	void commitReachesBothDatabases() {
		this.contextRunner.run((context) -> {
			Shop shop = context.getBean(Shop.class);
			shop.placeOrder(1, 3, false);
			assertThat(shop.orderCount()).isEqualTo(1);
			assertThat(shop.stockLeft()).isEqualTo(7);
			assertThat(preparedBranches(this.transactionManagerId)).isZero();
		});
	}

	@Test
	void exceptionRollsBackBothDatabasesAndReachesTheCallerUnchanged() {
		this.contextRunner.run((context) -> {
			Shop shop = context.getBean(Shop.class);
			assertThatIllegalStateException().isThrownBy(() -> shop.placeOrder(2, 3, true))
				.withMessage("payment declined");
			assertThat(shop.orderCount()).isZero();
			assertThat(shop.stockLeft()).isEqualTo(10);
			assertThat(preparedBranches(this.transactionManagerId)).isZero();
		});
	}

	@Test
	void transactionPastItsTimeoutRollsBackBothDatabases() {
		this.contextRunner.run((context) -> {
			Shop shop = context.getBean(Shop.class);
			assertThatExceptionOfType(UnexpectedRollbackException.class)
				.isThrownBy(() -> shop.placeSlowOrder(3, slowStatement()))
				.withMessageContaining("rolled back");
			assertThat(shop.orderCount()).isZero();
			assertThat(shop.stockLeft()).isEqualTo(10);
			assertThat(preparedBranches(this.transactionManagerId)).isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ShopConfiguration {

		@Bean
		Shop shop(@Qualifier("orders") DataSource orders, @Qualifier("stock") DataSource stock) {
			return new Shop(new JdbcTemplate(orders), new JdbcTemplate(stock));
		}

	}

	static class Shop {

		private final JdbcTemplate orders;

		private final JdbcTemplate stock;

		Shop(JdbcTemplate orders, JdbcTemplate stock) {
			this.orders = orders;
			this.stock = stock;
			orders.execute("create table orders (id int primary key, quantity int not null)");
			stock.execute("create table stock (item varchar(20) primary key, quantity int not null)");
			stock.update("insert into stock values ('widget', 10)");
		}

		@Transactional
		public void placeOrder(int id, int quantity, boolean failAfterWrites) {
			this.orders.update("insert into orders values (?, ?)", id, quantity);
			this.stock.update("update stock set quantity = quantity - ? where item = 'widget'", quantity);
			if (failAfterWrites) {
				throw new IllegalStateException("payment declined");
			}
		}

		@Transactional(timeout = 1)
		public void placeSlowOrder(int id, String slowStatement) {
			this.orders.update("insert into orders values (?, 1)", id);
			this.orders.execute(slowStatement);
			this.stock.update("update stock set quantity = quantity - 1 where item = 'widget'");
		}

		int orderCount() {
			return this.orders.queryForObject("select count(*) from orders", Integer.class);
		}

		int stockLeft() {
			return this.stock.queryForObject("select quantity from stock where item = 'widget'", Integer.class);
		}

	}

}
