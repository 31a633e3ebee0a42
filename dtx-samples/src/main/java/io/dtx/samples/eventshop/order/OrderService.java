package io.dtx.samples.eventshop.order;

import java.util.UUID;

import io.dtx.outbox.InboxListener;
import io.dtx.outbox.Outbox;
import io.dtx.samples.eventshop.OrderEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates an order and announces it in one local transaction; completes or fails it when
 * the saga's last event comes back.
 */
@Service
public class OrderService {

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	OrderService(JdbcTemplate jdbc, Outbox outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	/**
	 * Creates an order and publishes ORDER_CREATED; returns its id. The rest of the saga
	 * runs after this method has returned.
	 */
	@Transactional
	public String placeOrder(String item, int quantity, String account, int amount) {
		String orderId = "order-" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.update("insert into orders (id, item, quantity, account, amount, state) values (?, ?, ?, ?, ?, ?)",
				orderId, item, quantity, account, amount, "CREATED");
		this.outbox.publish(OrderEvent.ORDER_CREATED, orderId,
				new OrderEvent(orderId, item, quantity, account, amount));
		return orderId;
	}

	/**
	 * The order's state: CREATED, then COMPLETED or FAILED.
	 */
	public String state(String orderId) {
		return this.jdbc.queryForObject("select state from orders where id = ?", String.class, orderId);
	}

	@KafkaListener(topics = OrderEvent.ORDER_DELIVERED, groupId = "order")
	@InboxListener("order")
	public void onDelivered(String payload) {
		finish(OrderEvent.parse(payload), "COMPLETED");
	}

	@KafkaListener(topics = OrderEvent.PRODUCT_OUT_OF_STOCK, groupId = "order")
	@InboxListener("order")
	public void onOutOfStock(String payload) {
		finish(OrderEvent.parse(payload), "FAILED");
	}

	private void finish(OrderEvent event, String state) {
		this.jdbc.update("update orders set state = ? where id = ? and state = 'CREATED'", state, event.orderId());
	}

}
