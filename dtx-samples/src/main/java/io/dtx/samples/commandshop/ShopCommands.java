package io.dtx.samples.commandshop;

/**
 * What the order service's saga asks of the other services, and what they answer: the
 * contract the four services share, each a record sent as JSON. A command's type on the
 * wire is its simple name, which the participant's handler takes as its parameter.
 */
public final class ShopCommands {

	/** The payment service's channel (a Kafka topic). */
	public static final String PAYMENT = "payment";

	/** The stock service's channel. */
	public static final String STOCK = "stock";

	/** The delivery service's channel. */
	public static final String DELIVERY = "delivery";

	private ShopCommands() {
	}

	/**
	 * Take {@code amount} from {@code account} for the order.
	 *
	 * @param orderId the order
	 * @param account who pays
	 * @param amount how much
	 */
	public record Charge(String orderId, String account, int amount) {

	}

	/**
	 * The payment service took the amount.
	 *
	 * @param paymentId what the refund names
	 */
	public record Charged(String paymentId) {

	}

	/**
	 * Give a payment back: the charge's compensation.
	 *
	 * @param paymentId the payment
	 */
	public record Refund(String paymentId) {

	}

	/**
	 * Take {@code quantity} of {@code item} from the stock for the order.
	 *
	 * @param orderId the order
	 * @param item what
	 * @param quantity how many
	 */
	public record Reserve(String orderId, String item, int quantity) {

	}

	/**
	 * Put a reservation back: the reservation's compensation.
	 *
	 * @param orderId the order
	 * @param item what
	 * @param quantity how many
	 */
	public record Release(String orderId, String item, int quantity) {

	}

	/**
	 * Schedule the order's delivery.
	 *
	 * @param orderId the order
	 */
	public record ScheduleDelivery(String orderId) {

	}

	/**
	 * The delivery service scheduled it.
	 *
	 * @param deliveryId the delivery
	 */
	public record DeliveryScheduled(String deliveryId) {

	}

}
