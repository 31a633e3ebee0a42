package io.dtx.samples.sagashop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.dtx.samples.services.Services;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saga part of the shop demo: starts the order, payment, stock and delivery services,
 * places an order that every service accepts and one that the stock refuses after the
 * payment charged it, and prints after each what the services' databases hold.
 */
public final class SagaShopDemo {

	static final String ITEM = "widget";

	static final String ACCOUNT = "alice";

	private final SagaShop shop;

	private final PrintStream out;

	private final JdbcTemplate order;

	private final JdbcTemplate payment;

	private final JdbcTemplate stock;

	private final JdbcTemplate delivery;

	SagaShopDemo(SagaShop shop, PrintStream out) {
		this.shop = shop;
		this.out = out;
		this.order = Services.database(shop.order());
		this.payment = Services.database(shop.payment());
		this.stock = Services.database(shop.stock());
		this.delivery = Services.database(shop.delivery());
	}

	/**
	 * Runs the saga part of the demo on a shop of its own, which is stopped afterwards.
	 */
	public static void main(String[] args) {
		run(System.out);
	}

	/**
	 * Starts the shop, plays the scenarios, prints the report to {@code out} and stops the
	 * shop again.
	 */
	public static List<Scenario> run(PrintStream out) {
		try (SagaShop shop = SagaShop.start()) {
			return new SagaShopDemo(shop, out).play();
		}
	}

	List<Scenario> play() {
		this.out.println();
		this.out.println("dtx shop demo, saga: the shop as four services, each a Spring Boot application with its own");
		this.out.println("database and port: order (" + Services.port(this.shop.order()) + "), payment ("
				+ Services.port(this.shop.payment()) + "), stock (" + Services.port(this.shop.stock())
				+ ") and delivery (" + Services.port(this.shop.delivery()) + ").");
		this.out.println("OrderService#placeOrder, a @Saga in the order service, creates the order, then charges the");
		this.out.println("payment, takes the items from stock and schedules the delivery over HTTP: four @SagaSteps,");
		this.out.println("each committed at once in its own service.");
		this.out.println();
		this.out.println("0. Start");
		print(null);
		this.out.println();
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(place("1. Order 2 x " + ITEM + " for 40, paid by " + ACCOUNT, 2, 40));
		scenarios.add(place("2. Order 10 x " + ITEM + " for 200, paid by " + ACCOUNT + " (more than the stock holds)",
				10, 200));
		this.out.println("The payment service had charged alice 200 when the stock service refused. dtx compensated");
		this.out.println("the steps done, in reverse: the payment service refunded the charge (its refund got the");
		this.out.println("charge's id, what the step had returned, from dtx's fence), and the order service marked");
		this.out.println("the order FAILED. The stock's step had rolled back and had nothing to undo.");
		this.out.println();
		return scenarios;
	}

	private Scenario place(String title, int quantity, int amount) {
		this.out.println(title);
		String failure = null;
		try {
			long id = this.shop.orderService().placeOrder(ITEM, quantity, ACCOUNT, amount);
			this.out.println("   -> order " + id + " CONFIRMED");
		}
		catch (RuntimeException ex) {
			failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			this.out.println("   -> FAILED and compensated: " + failure);
		}
		String saga = this.order.queryForObject(
				"select name || ' ' || state from dtx_global_transaction order by created_at desc limit 1",
				String.class);
		Scenario scenario = new Scenario(title, failure,
				lastRow(this.order, "select id || ' ' || status from orders"), balance(),
				lastRow(this.payment, "select id || ' ' || amount || ' ' || status from charge"), available(),
				lastRow(this.delivery, "select id || ' ' || status from delivery"), saga);
		print(scenario);
		this.out.println("   order service, dtx_global_transaction: " + saga);
		this.out.println();
		return scenario;
	}

	private void print(@Nullable Scenario scenario) {
		this.out.println("   order service, table orders:           "
				+ show((scenario != null) ? scenario.order() : null));
		this.out.println("   payment service, account and charge:   " + ACCOUNT + ": " + balance() + " balance; "
				+ show((scenario != null) ? scenario.charge() : null));
		this.out.println("   stock service, table stock:            " + ITEM + ": " + available() + " available");
		this.out.println("   delivery service, table delivery:      "
				+ show((scenario != null) ? scenario.delivery() : null));
	}

	private static String show(@Nullable String row) {
		return (row != null) ? row : "(none)";
	}

	private static @Nullable String lastRow(JdbcTemplate database, String select) {
		List<String> rows = database.queryForList(select + " order by 1 desc limit 1", String.class);
		return rows.isEmpty() ? null : rows.get(0);
	}

	private int balance() {
		return this.payment.queryForObject("select balance from account where id = ?", Integer.class, ACCOUNT);
	}

	private int available() {
		return this.stock.queryForObject("select available from stock where item = ?", Integer.class, ITEM);
	}

	/**
	 * One order placed by the demo, and what the services held after it.
	 *
	 * @param title what the order was
	 * @param failure the exception that reached the caller, or {@code null}
	 * @param order the order's row: id and status
	 * @param balance the account's balance
	 * @param charge the latest charge: id, amount and status
	 * @param available the items left in stock
	 * @param delivery the latest delivery: id and status
	 * @param saga the order service's record of the saga: its name and state
	 */
	public record Scenario(String title, @Nullable String failure, @Nullable String order, int balance,
			@Nullable String charge, int available, @Nullable String delivery, String saga) {

	}

}
