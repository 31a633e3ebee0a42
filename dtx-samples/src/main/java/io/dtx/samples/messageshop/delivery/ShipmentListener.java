package io.dtx.samples.messageshop.delivery;

import io.dtx.outbox.InboxListener;
import io.dtx.samples.messageshop.OrderPlaced;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Ships each placed order, in one local transaction with its inbox entry: a message heard
 * twice ships once.
 */
@Component
class ShipmentListener {

	private final JdbcTemplate jdbc;

	private final JsonMapper jsonMapper;

	ShipmentListener(JdbcTemplate jdbc, JsonMapper jsonMapper) {
		this.jdbc = jdbc;
		this.jsonMapper = jsonMapper;
	}

	@KafkaListener(topics = OrderPlaced.TOPIC, groupId = "delivery")
	@InboxListener("delivery")
	public void ship(String payload) {
		OrderPlaced order = this.jsonMapper.readValue(payload, OrderPlaced.class);
		this.jdbc.update("insert into shipment (order_id, item, quantity) values (?, ?, ?)", order.orderId(),
				order.item(), order.quantity());
	}

}
