package io.dtx.samples.notifyshop.payment;

import io.dtx.notify.Notifications;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Captures a payment and, in the same local transaction, writes the notification that
 * tells its merchant: the merchant hears of exactly the payments that committed.
 */
@Service
public class PaymentService {

	public static final String PAYMENT_SUCCEEDED = "PAYMENT_SUCCEEDED";

	private final JdbcTemplate jdbc;

	private final Notifications notifications;

	PaymentService(JdbcTemplate jdbc, Notifications notifications) {
		this.jdbc = jdbc;
		this.notifications = notifications;
	}

	/**
	 * Captures the payment of an order for a merchant; the notification's id is the
	 * payment's, so capturing it twice notifies once.
	 */
	@Transactional
	public void capture(String paymentId, String merchant, String orderId, int amount) {
		this.jdbc.update("insert into payment (id, merchant, order_id, amount) values (?, ?, ?, ?)", paymentId,
				merchant, orderId, amount);
		this.notifications.notify(paymentId, merchant, PAYMENT_SUCCEEDED,
				new PaymentSucceeded(paymentId, orderId, amount));
	}

	/**
	 * What the merchant is told.
	 *
	 * @param paymentId the payment
	 * @param orderId the merchant's order it pays
	 * @param amount how much
	 */
	public record PaymentSucceeded(String paymentId, String orderId, int amount) {

	}

}
