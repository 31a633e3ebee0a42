package io.dtx.samples.eventshop;

import tools.jackson.databind.json.JsonMapper;

/**
 * What every event of the saga carries: the order and what it needs from each service.
 * Events go to the topic of their type, keyed by the order id, so that the events of one
 * order are handled in the order they were published.
 *
 * @param orderId the order
 * @param item the item ordered
 * @param quantity how many
 * @param account the paying account
 * @param amount the price
 */
public record OrderEvent(String orderId, String item, int quantity, String account, int amount) {

	/** The order service created an order. */
	public static final String ORDER_CREATED = "ORDER_CREATED";

	/** The payment service charged the order. */
	public static final String BILLED_ORDER = "BILLED_ORDER";

	/** The stock service took the items. */
	public static final String ORDER_PREPARED = "ORDER_PREPARED";

	/** The delivery service delivered the items. */
	public static final String ORDER_DELIVERED = "ORDER_DELIVERED";

	/** The stock service could not take the items: payment refunds, the order fails. */
	public static final String PRODUCT_OUT_OF_STOCK = "PRODUCT_OUT_OF_STOCK";

	private static final JsonMapper json = new JsonMapper();

	/**
	 * An event as a listener receives it, in JSON.
	 */
	public static OrderEvent parse(String payload) {
		return json.readValue(payload, OrderEvent.class);
	}

}
