package io.dtx.samples.eventshop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.dtx.core.DtxHeaders;
import io.dtx.samples.eventshop.EventShopDemo.Scenario;
import io.dtx.samples.services.Services;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga by events, run as the demo runs it: four services in one JVM with an
 * in-process broker. The order the stock can serve completes, the one it cannot fails
 * and is refunded, and an event delivered twice is applied once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventShopDemoTests {

	private final ByteArrayOutputStream report = new ByteArrayOutputStream();

	private EventShop shop;

	private List<Scenario> scenarios;

	@BeforeAll
	void playTheDemo() {
		this.shop = EventShop.start();
		this.scenarios = new EventShopDemo(this.shop, new PrintStream(this.report, true, StandardCharsets.UTF_8))
			.play();
	}

	@AfterAll
	void stopTheShop() {
		if (this.shop != null) {
			this.shop.close();
		}
	}

	@Test
	void orderTheStockCanServeIsChargedPreparedDeliveredAndCompleted() {
		Scenario good = this.scenarios.get(0);
		assertThat(good.orderState()).isEqualTo("COMPLETED");
		assertThat(good.payment()).isEqualTo("CHARGED");
		assertThat(good.balance()).isEqualTo(460);
		assertThat(good.available()).isEqualTo(3);
		assertThat(good.delivered()).isTrue();
	}

	@Test
	void orderOutOfStockIsRefundedAndFails() {
		Scenario refused = this.scenarios.get(1);
		assertThat(refused.orderState()).isEqualTo("FAILED");
		assertThat(refused.payment()).isEqualTo("REFUNDED");
		assertThat(refused.balance()).isEqualTo(460);
		assertThat(refused.available()).isEqualTo(3);
		assertThat(refused.delivered()).isFalse();
		assertThat(this.report.toString(StandardCharsets.UTF_8)).contains("FAILED", "REFUNDED", "COMPLETED");
	}

	@Test
	void anEventDeliveredAgainIsAppliedOnce() throws Exception {
		JdbcTemplate order = Services.database(this.shop.order());
		// the first order's ORDER_CREATED as the relay sent it, sent once more
		String messageId = order.queryForObject("select message_id from dtx_outbox where message_key = ?",
				String.class, this.scenarios.get(0).orderId());
		String payload = order.queryForObject("select payload from dtx_outbox where message_key = ?",
				(row, index) -> new String(row.getBytes(1), StandardCharsets.UTF_8), this.scenarios.get(0).orderId());
		ProducerRecord<Object, Object> again = new ProducerRecord<>(OrderEvent.ORDER_CREATED,
				this.scenarios.get(0).orderId(), payload);
		again.headers().add(DtxHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
		this.shop.order().getBean(KafkaTemplate.class).send(again).get(30, TimeUnit.SECONDS);

		// a later order on the same partition settles only after the duplicate was handled
		Scenario next = new EventShopDemo(this.shop, new PrintStream(new ByteArrayOutputStream()))
			.place("3. Order 1 x widget for 20", 1, 20);
		assertThat(next.orderState()).isEqualTo("COMPLETED");
		assertThat(next.balance()).as("charged 40, refunded 200, charged 20; the duplicate charged nothing")
			.isEqualTo(440);
		assertThat(Services.database(this.shop.payment())
			.queryForObject("select count(*) from payment where order_id = ?", Integer.class,
					this.scenarios.get(0).orderId())).isOne();
	}

}
