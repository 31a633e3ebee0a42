package io.dtx.samples.eventshop.stock;

import io.dtx.outbox.InboxListener;
import io.dtx.outbox.Outbox;
import io.dtx.samples.eventshop.OrderEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes the items of a billed order and publishes ORDER_PREPARED, or publishes
 * PRODUCT_OUT_OF_STOCK, in the local transaction of its inbox entry.
 */
@Component
class StockListener {

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	StockListener(JdbcTemplate jdbc, Outbox outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	@KafkaListener(topics = OrderEvent.BILLED_ORDER, groupId = "stock")
	@InboxListener("stock")
	public void prepare(String payload) {
		OrderEvent order = OrderEvent.parse(payload);
		boolean taken = this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?",
				order.quantity(), order.item(), order.quantity()) == 1;
		this.outbox.publish(taken ? OrderEvent.ORDER_PREPARED : OrderEvent.PRODUCT_OUT_OF_STOCK, order.orderId(),
				order);
	}

}
