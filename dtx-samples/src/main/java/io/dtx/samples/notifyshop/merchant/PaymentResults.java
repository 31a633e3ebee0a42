package io.dtx.samples.notifyshop.merchant;

import io.dtx.notify.NotificationContext;
import io.dtx.notify.NotificationHandler;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Marks an order paid when the payment service says so. dtx runs this in one local
 * transaction with its inbox entry, so a notification posted twice, or posted and also
 * found by reconciliation, pays the order once.
 */
@Component
class PaymentResults {

	private final JdbcTemplate jdbc;

	PaymentResults(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@NotificationHandler("PAYMENT_SUCCEEDED")
	public void succeeded(PaymentSucceeded payment, NotificationContext context) {
		this.jdbc.update("insert into paid_order (order_id, payment_id, amount, sender) values (?, ?, ?, ?)",
				payment.orderId(), payment.paymentId(), payment.amount(), context.sender());
	}

	/**
	 * The payment service's notification as this merchant reads it.
	 *
	 * @param paymentId the payment
	 * @param orderId the order it pays
	 * @param amount how much
	 */
	record PaymentSucceeded(String paymentId, String orderId, int amount) {

	}

}
