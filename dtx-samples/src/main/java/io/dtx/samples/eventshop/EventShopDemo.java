package io.dtx.samples.eventshop;

import io.dtx.samples.services.Services;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saga-by-events part of the shop demo: starts the broker and the four services,
 * places an order that goes through and one that the stock cannot serve, waits for each
 * saga to settle, and prints what every service's database holds.
 */
public final class EventShopDemo {

	static final String ITEM = "widget";

	static final String ACCOUNT = "alice";

	// long enough for a loaded machine; the saga takes well under a second
	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

	private final EventShop shop;

	private final PrintStream out;

	EventShopDemo(EventShop shop, PrintStream out) {
		this.shop = shop;
		this.out = out;
	}

	/**
	 * Runs the saga-by-events part of the demo on a shop of its own.
	 */
	public static void main(String[] args) {
		run(System.out);
	}

	/**
	 * Starts the shop, plays the scenarios, prints the report to {@code out} and stops the
	 * shop again.
	 */
	public static List<Scenario> run(PrintStream out) {
		try (EventShop shop = EventShop.start()) {
			return new EventShopDemo(shop, out).play();
		}
	}

	List<Scenario> play() {
		this.out.println();
		this.out.println("dtx shop demo, saga by events: order, payment, stock and delivery services, each a Spring");
		this.out.println("Boot application with its own database, and an in-process Kafka broker between them. No");
		this.out.println("service calls another: each publishes events through dtx's outbox, in the transaction of");
		this.out.println("its change, and consumes them through dtx's inbox, which drops any it has seen before.");
		this.out.println("ORDER_CREATED -> payment charges (BILLED_ORDER) -> stock prepares (ORDER_PREPARED) ->");
		this.out.println("delivery (ORDER_DELIVERED) -> order COMPLETED; or stock says PRODUCT_OUT_OF_STOCK ->");
		this.out.println("payment refunds, order FAILED.");
		this.out.println();
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(place("1. Order 2 x " + ITEM + " for 40, paid by " + ACCOUNT, 2, 40));
		scenarios.add(place("2. Order 10 x " + ITEM + " for 200, paid by " + ACCOUNT + " (more than the stock holds)",
				10, 200));
		this.out.println("The payment service had charged the 200 before the stock service found too few widgets;");
		this.out.println("PRODUCT_OUT_OF_STOCK made it refund them, and made the order service fail the order.");
		this.out.println();
		return scenarios;
	}

	Scenario place(String title, int quantity, int amount) {
		this.out.println(title);
		String orderId = this.shop.orderService().placeOrder(ITEM, quantity, ACCOUNT, amount);
		Scenario scenario = awaitSettled(title, orderId);
		this.out.println("   -> order " + orderId + " " + scenario.orderState());
		this.out.println("   payment service, account:  " + ACCOUNT + ": " + scenario.balance() + " balance; payment "
				+ scenario.payment());
		this.out.println("   stock service, stock:      " + ITEM + ": " + scenario.available() + " available");
		this.out.println("   delivery service:          " + (scenario.delivered() ? "delivered" : "nothing delivered"));
		this.out.println("   outbox rows sent / inbox entries: order " + messages(this.shop.order()) + ", payment "
				+ messages(this.shop.payment()) + ", stock " + messages(this.shop.stock()) + ", delivery "
				+ messages(this.shop.delivery()));
		this.out.println();
		return scenario;
	}

	private Scenario awaitSettled(String title, String orderId) {
		return Services.awaitSettled(orderId, SETTLE_TIMEOUT, () -> snapshot(title, orderId), Scenario::settled);
	}

	private Scenario snapshot(String title, String orderId) {
		JdbcTemplate payment = Services.database(this.shop.payment());
		List<String> payments = payment.queryForList("select state from payment where order_id = ?", String.class,
				orderId);
		return new Scenario(title, orderId, this.shop.orderService().state(orderId),
				payment.queryForObject("select balance from account where id = ?", Integer.class, ACCOUNT),
				payments.isEmpty() ? "(none)" : payments.get(0),
				Services.database(this.shop.stock())
					.queryForObject("select available from stock where item = ?", Integer.class, ITEM),
				Services.database(this.shop.delivery())
					.queryForObject("select count(*) from delivery where order_id = ?", Integer.class, orderId) == 1);
	}

	private static String messages(ConfigurableApplicationContext service) {
		JdbcTemplate jdbc = Services.database(service);
		return jdbc.queryForObject("select count(*) from dtx_outbox where state = 'SENT'", Integer.class) + " / "
				+ jdbc.queryForObject("select count(*) from dtx_inbox", Integer.class);
	}

	/**
	 * One order placed by the demo and what the services held once its saga settled.
	 *
	 * @param title what the order was
	 * @param orderId the order
	 * @param orderState COMPLETED or FAILED
	 * @param balance the account's balance in the payment service
	 * @param payment the payment's state: CHARGED, or REFUNDED
	 * @param available the item's stock
	 * @param delivered whether the delivery service delivered the order
	 */
	public record Scenario(String title, String orderId, String orderState, int balance, String payment,
			int available, boolean delivered) {

		boolean settled() {
			return this.orderState.equals("COMPLETED") && this.delivered
					|| this.orderState.equals("FAILED") && this.payment.equals("REFUNDED");
		}

	}

}
