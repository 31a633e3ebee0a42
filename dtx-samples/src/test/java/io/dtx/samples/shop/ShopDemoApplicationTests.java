package io.dtx.samples.shop;

import javax.sql.DataSource;

import io.dtx.samples.shop.ShopDemo.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * The shop demo, run as the application runs it but on in-memory H2 databases: the good
 * order reaches both databases, the refused one neither.
 */
@SpringBootTest(properties = { "dtx.xa.datasources.orders.url=jdbc:h2:mem:shop-orders;DB_CLOSE_DELAY=-1",
		"dtx.xa.datasources.stock.url=jdbc:h2:mem:shop-stock;DB_CLOSE_DELAY=-1",
		"dtx.xa.log-dir=target/shop-demo-tests/transaction-logs" })
@ExtendWith(OutputCaptureExtension.class)
class ShopDemoApplicationTests {

	@Autowired
	private ShopDemo demo;

	@Autowired
	private OrderService orderService;

	@Autowired
	@Qualifier("orders")
	private DataSource orders;

	@Autowired
	@Qualifier("stock")
	private DataSource stock;

	@Test
	void goodOrderIsCommittedInBothDatabases() {
		Scenario good = this.demo.scenarios().get(0);
		assertThat(good.committed()).isTrue();
		assertThat(good.orders()).containsExactly("#1 2 x widget");
		assertThat(good.stock()).containsExactly(entry("widget", 3));
	}

	@Test
	void refusedOrderIsRolledBackInBothDatabases() {
		Scenario refused = this.demo.scenarios().get(1);
		assertThat(refused.committed()).isFalse();
		assertThat(refused.failure())
			.isEqualTo("OutOfStockException: cannot take 10 x widget from stock: only 3 left");
		assertThat(refused.orders()).containsExactly("#1 2 x widget");
		assertThat(refused.stock()).containsExactly(entry("widget", 3));
	}

	@Test
	void refusedOrderReachesTheCallerAndLeavesNoRowBehind() {
		int ordersBefore = orderCount();
		int stockBefore = widgetsInStock();
		assertThatExceptionOfType(OutOfStockException.class)
			.isThrownBy(() -> this.orderService.placeOrder("widget", stockBefore + 1));
		assertThat(orderCount()).isEqualTo(ordersBefore);
		assertThat(widgetsInStock()).isEqualTo(stockBefore);
	}

	@Test
	void reportShowsEachOutcome(CapturedOutput output) {
		assertThat(output).contains("1. Order 2 x widget", "-> COMMITTED: order #1",
				"2. Order 10 x widget (more than the stock holds)",
				"-> ROLLED BACK: OutOfStockException: cannot take 10 x widget from stock: only 3 left");
	}

	private int orderCount() {
		return new JdbcTemplate(this.orders).queryForObject("select count(*) from orders", Integer.class);
	}

	private int widgetsInStock() {
		return new JdbcTemplate(this.stock).queryForObject("select quantity from stock where item = 'widget'",
				Integer.class);
	}

}
