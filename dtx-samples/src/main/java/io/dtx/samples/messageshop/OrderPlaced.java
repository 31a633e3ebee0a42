package io.dtx.samples.messageshop;

/**
 * The message the order service sends when an order is placed, as JSON.
 *
 * @param orderId the order
 * @param item what was ordered
 * @param quantity how many
 */
public record OrderPlaced(String orderId, String item, int quantity) {

	/** The topic the message is delivered to. */
	public static final String TOPIC = "orders.placed";

}
