package io.dtx.samples.messageshop;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.dtx.message.MessageResolver;
import io.dtx.samples.messageshop.order.OrderService.OutOfStockException;
import io.dtx.samples.services.Services;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transactional-message part of the shop demo: the order service announces each order
 * with a transactional message, which reaches the delivery service if and only if the
 * order's local transaction committed. One order commits, one rolls back, and one is placed
 * by an order service killed right after its local commit, before it could send the
 * message's decision: the resolver checks back, and ships it once the service is back.
 */
public final class MessageShopDemo {

	// long enough for a loaded machine; each wait is a few polls of the resolver
	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

	private final MessageShop shop;

	private final PrintStream out;

	MessageShopDemo(MessageShop shop, PrintStream out) {
		this.shop = shop;
		this.out = out;
	}

	/**
	 * Runs the transactional-message part of the demo on a shop of its own.
	 */
	public static void main(String[] args) {
		run(System.out);
	}

	/**
	 * Starts the shop, plays the scenarios, prints the report to {@code out} and stops the
	 * shop again.
	 */
	public static List<Scenario> run(PrintStream out) {
		try (MessageShop shop = MessageShop.start()) {
			return new MessageShopDemo(shop, out).play();
		}
	}

	List<Scenario> play() {
		this.out.println();
		this.out.println("dtx shop demo, transactional messages: an order service and a delivery service, each a");
		this.out.println("Spring Boot application with its own database, and a Kafka broker. Placing an order first");
		this.out.println("writes a half message to Kafka, then takes the stock and writes the order in one local");
		this.out.println("transaction with a barrier row, then sends the decision. dtx's resolver, here in the");
		this.out.println("delivery service, delivers a committed message once (Kafka transactions), drops a rolled");
		this.out.println("back one, and asks the order service about one with no decision (the check-back).");
		this.out.println();
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(committed());
		scenarios.add(rolledBack());
		scenarios.add(crashedBeforeItsDecision());
		return scenarios;
	}

	Scenario committed() {
		this.out.println("1. Order o-1, 2 x book (10 in stock)");
		String messageId = this.shop.orderService().place("o-1", "book", 2);
		this.out.println("   order service: placed, message " + messageId);
		int shipped = awaitShipments("o-1", 1);
		this.out.println("   delivery service: o-1 shipped x " + shipped);
		this.out.println();
		return new Scenario("o-1", "placed", placed("o-1"), shipped, 0);
	}

	Scenario rolledBack() {
		this.out.println("2. Order o-2, 50 x book (8 in stock)");
		MessageResolver resolver = this.shop.resolver();
		long dropped = resolver.dropped();
		String heard;
		try {
			this.shop.orderService().place("o-2", "book", 50);
			heard = "placed";
		}
		catch (OutOfStockException ex) {
			heard = ex.getMessage();
		}
		this.out.println("   order service: " + heard + "; its local transaction rolled back");
		Services.awaitSettled("the rollback of o-2's message", SETTLE_TIMEOUT, resolver::dropped,
				(now) -> now > dropped);
		int shipped = shipments("o-2");
		this.out.println("   resolver: the message dropped on its rollback decision; o-2 shipped x " + shipped);
		this.out.println();
		return new Scenario("o-2", heard, placed("o-2"), shipped, 0);
	}

	Scenario crashedBeforeItsDecision() {
		this.out.println("3. Order o-3, 1 x book, by an order service that dies (as kill -9 ends it) right after its");
		this.out.println("   local commit, before it sends the decision");
		MessageResolver resolver = this.shop.resolver();
		long checks = resolver.checks();
		this.shop.stopOrder();
		this.shop.placeAndCrash("o-3");
		boolean placed = placed("o-3");
		this.out.println("   order service: died; its database holds o-3: " + placed);
		Services.awaitSettled("a check-back on o-3", SETTLE_TIMEOUT, resolver::checks, (now) -> now > checks);
		this.out.println("   resolver: no decision after 1s; checks back at the order service, which does not");
		this.out.println("   answer, and asks again, up to every second");
		this.out.println("   order service: starts again, on its database, at its address");
		this.shop.startOrder();
		int shipped = awaitShipments("o-3", 1);
		long checkBacks = resolver.checks() - checks;
		this.out.println("   resolver: the check-back answered COMMITTED after " + checkBacks + " checks; o-3 shipped x "
				+ shipped);
		this.out.println();
		return new Scenario("o-3", "no answer: the service died", placed, shipped, checkBacks);
	}

	private boolean placed(String orderId) {
		return this.shop.orderDatabase()
			.queryForObject("select count(*) from orders where id = ?", Integer.class, orderId) == 1;
	}

	private int awaitShipments(String orderId, int expected) {
		return Services.awaitSettled("the shipment of " + orderId, SETTLE_TIMEOUT, () -> shipments(orderId),
				(shipped) -> shipped >= expected);
	}

	private int shipments(String orderId) {
		JdbcTemplate delivery = Services.database(this.shop.delivery());
		return delivery.queryForObject("select count(*) from shipment where order_id = ?", Integer.class, orderId);
	}

	/**
	 * One order of the demo and how its message ended.
	 *
	 * @param orderId the order
	 * @param callerHeard what the caller that placed it heard
	 * @param placed whether the order service's database holds it
	 * @param shipped how many times the delivery service shipped it
	 * @param checkBacks how many check-backs the resolver made on its message
	 */
	public record Scenario(String orderId, String callerHeard, boolean placed, int shipped, long checkBacks) {

	}

}
