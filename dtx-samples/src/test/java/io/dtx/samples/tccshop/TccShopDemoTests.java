package io.dtx.samples.tccshop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import io.dtx.samples.tccshop.TccShopDemo.Funds;
import io.dtx.samples.tccshop.TccShopDemo.Scenario;
import io.dtx.samples.tccshop.TccShopDemo.Stock;
import io.dtx.samples.tccshop.order.OrderRefusedException;
import io.dtx.samples.services.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The TCC part of the shop demo, run as the demo runs it: the order, stock and payment
 * services in one JVM, each with its own database and port, talking HTTP. The good order
 * is confirmed in both participants, the one the stock refuses is cancelled in both, and
 * dtx's tables in each service say so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TccShopDemoTests {

	private final ByteArrayOutputStream report = new ByteArrayOutputStream();

	private TccShop shop;

	private List<Scenario> scenarios;

	@BeforeAll
	void playTheDemo() {
		this.shop = TccShop.start();
		this.scenarios = new TccShopDemo(this.shop, new PrintStream(this.report, true, StandardCharsets.UTF_8))
			.play();
	}

	@AfterAll
	void stopTheShop() {
		if (this.shop != null) {
			this.shop.close();
		}
	}

	@Test
	void goodOrderIsConfirmedInBothServices() {
		Scenario good = this.scenarios.get(0);
		assertThat(good.confirmed()).isTrue();
		assertThat(good.stock()).isEqualTo(new Stock(3, 0));
		assertThat(good.funds()).isEqualTo(new Funds(460, 0));
		assertThat(good.transaction()).isEqualTo("place-order CONFIRMED");
		assertThat(good.paymentFence()).containsExactly("r1 CONFIRMED", "r1.b1 freeze CONFIRMED");
		assertThat(good.stockFence()).containsExactly("r2 CONFIRMED", "r2.b1 reserve CONFIRMED");
	}

	@Test
	void orderTheStockRefusesIsCancelledInBothServices() {
		Scenario refused = this.scenarios.get(1);
		assertThat(refused.failure())
			.isEqualTo("OrderRefusedException: stock refused: cannot reserve 10 x widget, only 3 available");
		assertThat(refused.stock()).isEqualTo(new Stock(3, 0));
		assertThat(refused.funds()).isEqualTo(new Funds(460, 0));
		assertThat(refused.transaction()).isEqualTo("place-order CANCELLED");
		// the freeze had been tried, and was cancelled
		assertThat(refused.paymentFence()).containsExactly("r1 CANCELLED", "r1.b1 freeze CANCELLED");
		// the reservation's try rolled back with its fence row; the cancel left a mark that refuses it late
		assertThat(refused.stockFence()).containsExactly("r2 CANCELLED");
	}

	@Test
	void refusalReachesTheCallerAndPhaseTwoReachesEveryServiceCalled() {
		Stock stockBefore = stock();
		Funds fundsBefore = funds();
		int tooMany = stockBefore.available() - stockBefore.reserved() + 1;
		assertThatExceptionOfType(OrderRefusedException.class)
			.isThrownBy(() -> this.shop.orderService().placeOrder("widget", tooMany, "alice", 10))
			.withMessageStartingWith("stock refused: cannot reserve " + tooMany + " x widget");
		assertThat(stock()).isEqualTo(stockBefore);
		assertThat(funds()).isEqualTo(fundsBefore);
		String xid = latestTransaction();
		assertThat(rows(this.shop.order(), "select state from dtx_global_transaction where xid = ?", xid))
			.containsExactly("CANCELLED");
		assertThat(rows(this.shop.order(),
				"select branch_id || ' ' || state from dtx_participant where xid = ? order by branch_id", xid))
			.containsExactly("r1 DONE", "r2 DONE");
	}

	@Test
	void paymentRefusalCancelsTheOrderBeforeTheStockIsCalled() {
		Stock stockBefore = stock();
		assertThatExceptionOfType(OrderRefusedException.class)
			.isThrownBy(() -> this.shop.orderService().placeOrder("widget", 1, "alice", 1_000_000))
			.withMessage("payment refused: cannot freeze 1000000 of alice's funds: not enough free");
		assertThat(stock()).isEqualTo(stockBefore);
		String xid = latestTransaction();
		assertThat(rows(this.shop.order(), "select branch_id || ' ' || state from dtx_participant where xid = ?",
				xid))
			.containsExactly("r1 DONE");
		assertThat(TccShopDemo.fence(Services.database(this.shop.payment()), xid)).containsExactly("r1 CANCELLED");
		assertThat(TccShopDemo.fence(Services.database(this.shop.stock()), xid)).isEmpty();
	}

	@Test
	void reportShowsEachOutcome() {
		assertThat(this.report.toString(StandardCharsets.UTF_8)).contains("0. Start",
				"1. Order 2 x widget for 40, paid by alice",
				"-> CONFIRMED: alice charged 40, 2 x widget taken from stock",
				"2. Order 10 x widget for 200, paid by alice (more than the stock holds)",
				"-> CANCELLED: OrderRefusedException: stock refused: cannot reserve 10 x widget, only 3 available",
				"payment service, dtx_branch_fence:     r1 CANCELLED, r1.b1 freeze CANCELLED");
	}

	@Test
	void closingTheShopStopsEveryService() {
		TccShop other = TccShop.start();
		other.close();
		assertThat(Stream.of(other.order(), other.stock(), other.payment()))
			.noneMatch(ConfigurableApplicationContext::isActive);
	}

	private Stock stock() {
		return Services.database(this.shop.stock())
			.queryForObject("select available, reserved from stock where item = 'widget'",
					(row, index) -> new Stock(row.getInt(1), row.getInt(2)));
	}

	private Funds funds() {
		return Services.database(this.shop.payment())
			.queryForObject("select balance, frozen from account where id = 'alice'",
					(row, index) -> new Funds(row.getInt(1), row.getInt(2)));
	}

	private String latestTransaction() {
		return Services.database(this.shop.order())
			.queryForObject("select xid from dtx_global_transaction order by created_at desc limit 1", String.class);
	}

	private static List<String> rows(ConfigurableApplicationContext service, String sql, String xid) {
		return Services.database(service).queryForList(sql, String.class, xid);
	}

}
