package io.dtx.samples.sagashop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.dtx.samples.sagashop.SagaShopDemo.Scenario;
import io.dtx.samples.sagashop.order.OrderRefusedException;
import io.dtx.samples.services.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The saga part of the shop demo, run as the demo runs it: the order, payment, stock and
 * delivery services in one JVM, each with its own database and port, talking HTTP. The
 * good order keeps every step; the one the stock refuses is refunded and marked FAILED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SagaShopDemoTests {

	private final ByteArrayOutputStream report = new ByteArrayOutputStream();

	private SagaShop shop;

	private List<Scenario> scenarios;

	@BeforeAll
	void playTheDemo() {
		this.shop = SagaShop.start();
		this.scenarios = new SagaShopDemo(this.shop, new PrintStream(this.report, true, StandardCharsets.UTF_8))
			.play();
	}

	@AfterAll
	void stopTheShop() {
		if (this.shop != null) {
			this.shop.close();
		}
	}

	@Test
	void goodOrderKeepsEveryStep() {
		Scenario good = this.scenarios.get(0);
		assertThat(good.failure()).isNull();
		assertThat(good.order()).isEqualTo("1 CONFIRMED");
		assertThat(good.balance()).isEqualTo(460);
		assertThat(good.charge()).isEqualTo("1 40 CHARGED");
		assertThat(good.available()).isEqualTo(3);
		assertThat(good.delivery()).isEqualTo("DLV-1 SCHEDULED");
		assertThat(good.saga()).isEqualTo("order-saga CONFIRMED");
	}

	@Test
	void orderTheStockRefusesIsRefundedAndMarkedFailed() {
		Scenario refused = this.scenarios.get(1);
		assertThat(refused.failure())
			.isEqualTo("OrderRefusedException: stock refused: cannot take 10 x widget, only 3 available");
		assertThat(refused.order()).isEqualTo("2 FAILED");
		assertThat(refused.balance()).as("refunded").isEqualTo(460);
		assertThat(refused.charge()).isEqualTo("2 200 REFUNDED");
		assertThat(refused.available()).isEqualTo(3);
		assertThat(refused.delivery()).as("never scheduled").isEqualTo("DLV-1 SCHEDULED");
		assertThat(refused.saga()).isEqualTo("order-saga CANCELLED");
	}

	@Test
	void refusalReachesTheCallerAndTheReportTellsWhatHappened() {
		assertThatExceptionOfType(OrderRefusedException.class)
			.isThrownBy(() -> this.shop.orderService().placeOrder("widget", 1, "alice", 1000))
			.withMessage("payment refused: cannot charge 1000 to alice: insufficient funds");
		assertThat(Services.database(this.shop.order())
			.queryForObject("select status from orders where id = 3", String.class)).isEqualTo("FAILED");
		assertThat(this.report.toString(StandardCharsets.UTF_8)).contains("-> order 1 CONFIRMED")
			.contains("-> FAILED and compensated: OrderRefusedException: stock refused")
			.contains("refunded the charge");
	}

}
