package io.dtx.samples.commandshop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.dtx.samples.commandshop.CommandShopDemo.Scenario;
import io.dtx.samples.services.Services;
import io.dtx.saga.orchestration.SagaStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga by commands, run as the demo runs it: four services in one JVM with an
 * in-process broker. The order the stock can serve is charged, reserved, scheduled for
 * delivery and completed, each step once; the one it cannot is refunded and fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandShopDemoTests {

	private final ByteArrayOutputStream report = new ByteArrayOutputStream();

	private CommandShop shop;

	private List<Scenario> scenarios;

	@BeforeAll
	void playTheDemo() {
		this.shop = CommandShop.start();
		this.scenarios = new CommandShopDemo(this.shop, new PrintStream(this.report, true, StandardCharsets.UTF_8))
			.play();
	}

	@AfterAll
	void stopTheShop() {
		if (this.shop != null) {
			this.shop.close();
		}
	}

	@Test
	void anOrderInStockIsChargedReservedDeliveredAndCompleted() {
		Scenario good = this.scenarios.get(0);
		assertThat(good.status()).isEqualTo(SagaStatus.COMPLETED);
		assertThat(good.order()).isEqualTo("o-1 2 x widget for 40 COMPLETED");
		assertThat(good.payment()).isEqualTo("pay-o-1 40 CHARGED");
		assertThat(good.balance()).isEqualTo(460);
		assertThat(good.available()).isEqualTo(3);
		assertThat(good.delivery()).isEqualTo("del-o-1 SCHEDULED");
		assertThat(good.history()).containsExactly("- STARTED", "create DONE", "charge SENT: Charge to payment",
				"charge SUCCEEDED", "reserve SENT: Reserve to stock", "reserve SUCCEEDED",
				"deliver SENT: ScheduleDelivery to delivery", "deliver SUCCEEDED", "finish DONE", "- COMPLETED");
	}

	@Test
	void anOrderOutOfStockIsRefundedThenFailed() {
		Scenario refused = this.scenarios.get(1);
		assertThat(refused.status()).isEqualTo(SagaStatus.COMPENSATED);
		assertThat(refused.order()).isEqualTo("o-2 10 x widget for 200 FAILED");
		assertThat(refused.payment()).isEqualTo("pay-o-2 200 REFUNDED");
		assertThat(refused.balance()).isEqualTo(460);
		assertThat(refused.available()).isEqualTo(3);
		assertThat(refused.delivery()).isNull();
		assertThat(refused.history()).containsExactly("- STARTED", "create DONE", "charge SENT: Charge to payment",
				"charge SUCCEEDED", "reserve SENT: Reserve to stock",
				"reserve FAILED: OutOfStockException: out of stock: 10 x widget",
				"charge COMPENSATION_SENT: Refund to payment", "charge COMPENSATED", "create COMPENSATED",
				"- COMPENSATED");
	}

	@Test
	void eachServiceAppliedEachCommandOnce() {
		JdbcTemplate payment = Services.database(this.shop.payment());
		assertThat(payment.queryForObject("select count(*) from payment", Integer.class)).isEqualTo(2);
		// charge o-1, charge o-2, refund o-2: one inbox entry each
		assertThat(payment.queryForObject("select count(*) from dtx_inbox", Integer.class)).isEqualTo(3);
		assertThat(Services.database(this.shop.stock()).queryForObject("select count(*) from dtx_inbox", Integer.class))
			.isEqualTo(2);
		assertThat(Services.database(this.shop.delivery())
			.queryForObject("select count(*) from delivery", Integer.class)).isOne();
		JdbcTemplate order = Services.database(this.shop.order());
		assertThat(order.queryForList("select status from dtx_saga_instance order by created_at", String.class))
			.containsExactly("COMPLETED", "COMPENSATED");
	}

	@Test
	void theReportShowsBothOutcomesAndTheHistories() {
		assertThat(this.report.toString(StandardCharsets.UTF_8)).contains(
				"-> saga " + this.scenarios.get(0).sagaId() + " COMPLETED",
				"-> saga " + this.scenarios.get(1).sagaId() + " COMPENSATED", "o-2 10 x widget for 200 FAILED",
				"pay-o-2 200 REFUNDED", "del-o-1 SCHEDULED", "charge COMPENSATION_SENT: Refund to payment");
	}

}
