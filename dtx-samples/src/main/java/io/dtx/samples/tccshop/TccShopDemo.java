package io.dtx.samples.tccshop;

import io.dtx.samples.services.Services;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The TCC part of the shop demo: starts the order, stock and payment services, places an
 * order that both participants accept and one that the stock refuses after the payment
 * froze its funds, and prints after each what the services' databases hold, dtx's tables
 * included.
 */
public final class TccShopDemo {

	static final String ITEM = "widget";

	static final String ACCOUNT = "alice";

	private final TccShop shop;

	private final PrintStream out;

	private final JdbcTemplate order;

	private final JdbcTemplate stock;

	private final JdbcTemplate payment;

	TccShopDemo(TccShop shop, PrintStream out) {
		this.shop = shop;
		this.out = out;
		this.order = Services.database(shop.order());
		this.stock = Services.database(shop.stock());
		this.payment = Services.database(shop.payment());
	}

	/**
	 * Runs the TCC part of the demo on a shop of its own, which is stopped afterwards.
	 */
	public static void main(String[] args) {
		run(System.out);
	}

	/**
	 * Starts the shop, plays the scenarios, prints the report to {@code out} and stops the
	 * shop again.
	 */
	public static List<Scenario> run(PrintStream out) {
		try (TccShop shop = TccShop.start()) {
			return new TccShopDemo(shop, out).play();
		}
	}

	List<Scenario> play() {
		this.out.println();
		this.out.println("dtx shop demo, TCC: the same shop as three services, each a Spring Boot application with its");
		this.out.println("own database and port: order (" + Services.port(this.shop.order()) + "), stock ("
				+ Services.port(this.shop.stock()) + ") and payment (" + Services.port(this.shop.payment())
				+ "). Placing an order");
		this.out.println("(OrderService#placeOrder, a @TccTransaction in the order service) freezes the price in the");
		this.out.println("payment service, then reserves the items in the stock service, both over HTTP.");
		this.out.println();
		this.out.println("0. Start");
		printParticipants();
		this.out.println();
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(place("1. Order 2 x " + ITEM + " for 40, paid by " + ACCOUNT, 2, 40));
		scenarios.add(place("2. Order 10 x " + ITEM + " for 200, paid by " + ACCOUNT + " (more than the stock holds)",
				10, 200));
		this.out.println("The payment service had frozen 200 of alice's funds when the stock service refused the");
		this.out.println("reservation. The order service, which started the transaction, decided to cancel it and");
		this.out.println("called both services' phase two: payment unfroze the 200 (its branch r1.b1 went from");
		this.out.println("TRIED to CANCELLED); stock, whose try had rolled back, had nothing to undo and kept only");
		this.out.println("the mark r2 CANCELLED, which refuses that reservation should it still arrive late.");
		this.out.println();
		return scenarios;
	}

	private Scenario place(String title, int quantity, int amount) {
		this.out.println(title);
		String failure = null;
		try {
			this.shop.orderService().placeOrder(ITEM, quantity, ACCOUNT, amount);
			this.out.println("   -> CONFIRMED: " + ACCOUNT + " charged " + amount + ", " + quantity + " x " + ITEM
					+ " taken from stock");
		}
		catch (RuntimeException ex) {
			failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			this.out.println("   -> CANCELLED: " + failure);
		}
		Scenario scenario = snapshot(title, failure);
		printParticipants();
		this.out.println("   order service, dtx_global_transaction: " + scenario.transaction());
		this.out.println("   payment service, dtx_branch_fence:     " + joined(scenario.paymentFence()));
		this.out.println("   stock service, dtx_branch_fence:       " + joined(scenario.stockFence()));
		this.out.println();
		return scenario;
	}

	private void printParticipants() {
		Stock stock = stock();
		Funds funds = funds();
		this.out.println("   stock service, table stock:            " + ITEM + ": " + stock.available() + " available, "
				+ stock.reserved() + " reserved");
		this.out.println("   payment service, table account:        " + ACCOUNT + ": " + funds.balance() + " balance, "
				+ funds.frozen() + " frozen");
	}

	private static String joined(List<String> rows) {
		return rows.isEmpty() ? "(none)" : String.join(", ", rows);
	}

	private Scenario snapshot(String title, @Nullable String failure) {
		// the transaction just played is the latest one the order service started
		String xid = this.order.queryForObject(
				"select xid from dtx_global_transaction order by created_at desc limit 1", String.class);
		String transaction = this.order.queryForObject(
				"select name || ' ' || state from dtx_global_transaction where xid = ?", String.class, xid);
		return new Scenario(title, failure, stock(), funds(), transaction, fence(this.payment, xid),
				fence(this.stock, xid));
	}

	private Stock stock() {
		return this.stock.queryForObject("select available, reserved from stock where item = ?",
				(row, index) -> new Stock(row.getInt("available"), row.getInt("reserved")), ITEM);
	}

	private Funds funds() {
		return this.payment.queryForObject("select balance, frozen from account where id = ?",
				(row, index) -> new Funds(row.getInt("balance"), row.getInt("frozen")), ACCOUNT);
	}

	/**
	 * A participant's fence rows of one transaction, as {@code branch action state}; the
	 * row of the branch the order service opened there has no action of its own.
	 */
	static List<String> fence(JdbcTemplate participant, String xid) {
		return participant.query("select branch_id, action, state from dtx_branch_fence where xid = ? order by branch_id",
				(row, index) -> row.getString("branch_id") + action(row.getString("action")) + " "
						+ row.getString("state"),
				xid);
	}

	private static String action(String action) {
		int hash = action.indexOf('#');
		return (hash < 0) ? "" : " " + action.substring(hash + 1);
	}

	/**
	 * One order placed by the demo: its failure, if any, and what the services held after
	 * it.
	 *
	 * @param title what the order was
	 * @param failure the exception that reached the caller, or {@code null} when the order
	 * was confirmed
	 * @param stock the item's row in the stock service
	 * @param funds the account's row in the payment service
	 * @param transaction the order service's record of the transaction: its name and state
	 * @param paymentFence the payment service's fence rows of the transaction
	 * @param stockFence the stock service's fence rows of the transaction
	 */
	public record Scenario(String title, @Nullable String failure, Stock stock, Funds funds, String transaction,
			List<String> paymentFence, List<String> stockFence) {

		public boolean confirmed() {
			return this.failure == null;
		}

	}

	/**
	 * An item's row in the stock service.
	 */
	public record Stock(int available, int reserved) {

	}

	/**
	 * An account's row in the payment service.
	 */
	public record Funds(int balance, int frozen) {

	}

}
