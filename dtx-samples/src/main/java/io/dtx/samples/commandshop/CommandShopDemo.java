package io.dtx.samples.commandshop;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.dtx.samples.services.Services;
import io.dtx.saga.orchestration.SagaOrchestrator;
import io.dtx.saga.orchestration.SagaStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saga-by-commands part of the shop demo: starts the broker and the four services,
 * places an order that goes through and one that the stock cannot serve, waits for each
 * saga to finish, and prints what every service's database holds and the saga's history
 * as the orchestrator recorded it.
 */
public final class CommandShopDemo {

	static final String ITEM = "widget";

	static final String ACCOUNT = "alice";

	// long enough for a loaded machine; the saga takes well under a second
	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

	private final CommandShop shop;

	private final PrintStream out;

	private final JdbcTemplate order;

	private final JdbcTemplate payment;

	private final JdbcTemplate stock;

	private final JdbcTemplate delivery;

	CommandShopDemo(CommandShop shop, PrintStream out) {
		this.shop = shop;
		this.out = out;
		this.order = Services.database(shop.order());
		this.payment = Services.database(shop.payment());
		this.stock = Services.database(shop.stock());
		this.delivery = Services.database(shop.delivery());
	}

	/**
	 * Runs the saga-by-commands part of the demo on a shop of its own.
	 */
	public static void main(String[] args) {
		run(System.out);
	}

	/**
	 * Starts the shop, plays the scenarios, prints the report to {@code out} and stops the
	 * shop again.
	 */
	public static List<Scenario> run(PrintStream out) {
		try (CommandShop shop = CommandShop.start()) {
			return new CommandShopDemo(shop, out).play();
		}
	}

	List<Scenario> play() {
		this.out.println();
		this.out.println("dtx shop demo, saga by commands: order, payment, stock and delivery services, each a Spring");
		this.out.println("Boot application with its own database, and an in-process Kafka broker between them. The");
		this.out.println("order service defines the saga place-order (a SagaDefinition bean) and starts it with");
		this.out.println("SagaOrchestrator: create the order here, then a command to each service in turn -- Charge");
		this.out.println("to payment, Reserve to stock, ScheduleDelivery to delivery -- then finish the order here.");
		this.out.println("Each service answers from a @SagaCommandHandler method; an exception is a failure reply,");
		this.out.println("and the orchestrator sends the compensating commands in reverse. Every transition is one");
		this.out.println("local transaction in the order service's database; commands and replies go through dtx's");
		this.out.println("outbox and inbox.");
		this.out.println();
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(place("1. Order o-1: 2 x " + ITEM + " for 40, paid by " + ACCOUNT, "o-1", 2, 40));
		scenarios.add(place("2. Order o-2: 10 x " + ITEM + " for 200, paid by " + ACCOUNT
				+ " (more than the stock holds)", "o-2", 10, 200));
		this.out.println("The payment service had charged the 200 when the stock service refused o-2. The");
		this.out.println("orchestrator sent Refund to the payment service, then marked the order FAILED: the steps");
		this.out.println("done, undone in reverse. The refused reservation had rolled back and had nothing to undo.");
		this.out.println();
		return scenarios;
	}

	Scenario place(String title, String orderId, int quantity, int amount) {
		this.out.println(title);
		String sagaId = this.shop.orderService().placeOrder(orderId, ITEM, quantity, ACCOUNT, amount);
		SagaOrchestrator orchestrator = this.shop.orchestrator();
		SagaStatus status = Services.awaitSettled("saga " + sagaId + " of " + orderId, SETTLE_TIMEOUT,
				() -> orchestrator.status(sagaId), (now) -> now != null && now.finished());
		Scenario scenario = new Scenario(orderId, sagaId, status,
				row(this.order, "select id || ' ' || quantity || ' x ' || item || ' for ' || amount || ' ' || status"
						+ " from orders where id = ?", orderId),
				balance(),
				row(this.payment, "select id || ' ' || amount || ' ' || status from payment where order_id = ?",
						orderId),
				available(), row(this.delivery, "select id || ' ' || status from delivery where order_id = ?", orderId),
				orchestrator.history(sagaId));
		this.out.println("   -> saga " + sagaId + " " + status);
		this.out.println("   order service, table orders:       " + show(scenario.order()));
		this.out.println("   payment service, account, payment: " + ACCOUNT + ": " + scenario.balance() + " balance; "
				+ show(scenario.payment()));
		this.out.println("   stock service, table stock:        " + ITEM + ": " + scenario.available() + " available");
		this.out.println("   delivery service, table delivery:  " + show(scenario.delivery()));
		this.out.println("   order service, the saga's history (SagaOrchestrator#history):");
		scenario.history().forEach((event) -> this.out.println("      " + event));
		this.out.println();
		return scenario;
	}

	private static String show(@Nullable String row) {
		return (row != null) ? row : "(none)";
	}

	private static @Nullable String row(JdbcTemplate database, String select, String orderId) {
		List<String> rows = database.queryForList(select, String.class, orderId);
		return rows.isEmpty() ? null : rows.get(0);
	}

	private int balance() {
		return this.payment.queryForObject("select balance from account where id = ?", Integer.class, ACCOUNT);
	}

	private int available() {
		return this.stock.queryForObject("select available from stock where item = ?", Integer.class, ITEM);
	}

	/**
	 * One order placed by the demo, and what the services held once its saga finished.
	 *
	 * @param orderId the order
	 * @param sagaId its saga
	 * @param status how the saga ended: COMPLETED, or COMPENSATED
	 * @param order the order's row in the order service: id, quantity, item, amount, status
	 * @param balance the account's balance in the payment service
	 * @param payment the order's payment: id, amount, status (CHARGED, REFUNDED)
	 * @param available the item's stock
	 * @param delivery the order's delivery: id and status
	 * @param history the saga's history, as the orchestrator recorded it
	 */
	public record Scenario(String orderId, String sagaId, SagaStatus status, @Nullable String order, int balance,
			@Nullable String payment, int available, @Nullable String delivery, List<String> history) {

	}

}
