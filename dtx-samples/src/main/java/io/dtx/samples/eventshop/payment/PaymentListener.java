package io.dtx.samples.eventshop.payment;

import io.dtx.outbox.InboxListener;
import io.dtx.outbox.Outbox;
import io.dtx.samples.eventshop.OrderEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Each handler runs in one local transaction with its inbox entry and the event it
 * publishes: the charge, the payment row and BILLED_ORDER commit together or not at all,
 * and a redelivered ORDER_CREATED charges nothing.
 */
@Component
class PaymentListener {

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	PaymentListener(JdbcTemplate jdbc, Outbox outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	@KafkaListener(topics = OrderEvent.ORDER_CREATED, groupId = "payment")
	@InboxListener("payment")
	public void charge(String payload) {
		OrderEvent order = OrderEvent.parse(payload);
		this.jdbc.update("update account set balance = balance - ? where id = ?", order.amount(), order.account());
		this.jdbc.update("insert into payment (order_id, amount, state) values (?, ?, 'CHARGED')", order.orderId(),
				order.amount());
		this.outbox.publish(OrderEvent.BILLED_ORDER, order.orderId(), order);
	}

	@KafkaListener(topics = OrderEvent.PRODUCT_OUT_OF_STOCK, groupId = "payment")
	@InboxListener("payment")
	public void refund(String payload) {
		OrderEvent order = OrderEvent.parse(payload);
		if (this.jdbc.update("update payment set state = 'REFUNDED' where order_id = ? and state = 'CHARGED'",
				order.orderId()) == 1) {
			this.jdbc.update("update account set balance = balance + ? where id = ?", order.amount(), order.account());
		}
	}

}
