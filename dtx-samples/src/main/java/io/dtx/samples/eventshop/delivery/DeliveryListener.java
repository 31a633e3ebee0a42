package io.dtx.samples.eventshop.delivery;

import io.dtx.outbox.InboxListener;
import io.dtx.outbox.Outbox;
import io.dtx.samples.eventshop.OrderEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Records the delivery of a prepared order and publishes ORDER_DELIVERED.
 */
@Component
class DeliveryListener {

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	DeliveryListener(JdbcTemplate jdbc, Outbox outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	@KafkaListener(topics = OrderEvent.ORDER_PREPARED, groupId = "delivery")
	@InboxListener("delivery")
	public void deliver(String payload) {
		OrderEvent order = OrderEvent.parse(payload);
		this.jdbc.update("insert into delivery (order_id, item, quantity) values (?, ?, ?)", order.orderId(),
				order.item(), order.quantity());
		this.outbox.publish(OrderEvent.ORDER_DELIVERED, order.orderId(), order);
	}

}
