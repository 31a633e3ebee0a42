package io.dtx.samples.notifyshop;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.dtx.notify.ExhaustedNotification;
import io.dtx.notify.NotificationReconciler.Reconciliation;
import io.dtx.samples.services.Services;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The best-effort notification part of the shop demo: a payment service tells its
 * merchants of each payment it captured, as WeChat Pay and Alipay do, over HTTP, signed, on
 * a retry schedule. Merchant A is down when its payment is captured and is told once it
 * comes up; merchant B's notification URL is mistyped, so its notification exhausts its
 * schedule, and merchant B finds the payment by asking the payment service (reconciliation)
 * and applies it once, even when the fixed URL delivers it again.
 */
public final class NotifyShopDemo {

	// long enough for a loaded machine; each wait is a few retries of a compressed schedule
	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

	private final NotifyShop shop;

	private final PrintStream out;

	NotifyShopDemo(NotifyShop shop, PrintStream out) {
		this.shop = shop;
		this.out = out;
	}

	/**
	 * Runs the notification part of the demo on a shop of its own.
	 */
	public static void main(String[] args) {
		run(System.out);
	}

	/**
	 * Starts the shop, plays the scenarios, prints the report to {@code out} and stops the
	 * shop again.
	 */
	public static List<Scenario> run(PrintStream out) {
		try (NotifyShop shop = NotifyShop.start()) {
			return new NotifyShopDemo(shop, out).play();
		}
	}

	List<Scenario> play() {
		this.out.println();
		this.out.println("dtx shop demo, best-effort notification: a payment service (acme-pay) and two merchants,");
		this.out.println("each a Spring Boot application with its own database. A captured payment writes a");
		this.out.println("PAYMENT_SUCCEEDED notification in the payment's transaction; dtx POSTs it to the merchant,");
		this.out.println("signed with the secret they share, and retries on a schedule (compressed here to");
		this.out.println("300ms,300ms,500ms,1s,...) until the merchant answers 2xx. The merchant's handler runs in");
		this.out.println("one transaction with an inbox entry, so a notification received twice pays the order once.");
		this.out.println();
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(merchantDown());
		scenarios.add(wrongUrl());
		return scenarios;
	}

	Scenario merchantDown() {
		this.out.println("1. Payment p-1 (120 for order a-1) to merchant A, which is down");
		this.shop.merchants()
			.register(NotifyShop.MERCHANT_A, this.shop.merchantANotifyUrl(), NotifyShop.secret(NotifyShop.MERCHANT_A),
					null);
		this.shop.payments().capture("p-1", NotifyShop.MERCHANT_A, "a-1", 120);
		Map<String, Object> failing = awaitNotification("p-1", row -> ((Number) row.get("attempts")).intValue() >= 2);
		this.out.println("   acme-pay: " + failing.get("state") + " after " + failing.get("attempts")
				+ " failed attempts, last: " + failing.get("last_error"));
		this.out.println("   merchant A starts");
		ConfigurableApplicationContext merchantA = this.shop.startMerchantA();
		Map<String, Object> delivered = awaitNotification("p-1", row -> "DELIVERED".equals(row.get("state")));
		this.out.println("   acme-pay: " + delivered.get("state") + " at attempt " + delivered.get("attempts"));
		int paid = paidOrders(merchantA, "a-1");
		this.out.println("   merchant A, paid orders: a-1 x " + paid);
		this.out.println();
		return new Scenario("p-1", (String) delivered.get("state"), ((Number) delivered.get("attempts")).intValue(),
				paid, null, null);
	}

	Scenario wrongUrl() {
		this.out.println("2. Payment p-2 (80 for order b-1) to merchant B, whose URL acme-pay has mistyped");
		String mistyped = this.shop.merchantBUrl() + "/dtx/notification/" + NotifyShop.SENDER;
		this.shop.merchants()
			.register(NotifyShop.MERCHANT_B, mistyped, NotifyShop.secret(NotifyShop.MERCHANT_B), "200ms,200ms");
		this.shop.payments().capture("p-2", NotifyShop.MERCHANT_B, "b-1", 80);
		awaitNotification("p-2", row -> "EXHAUSTED".equals(row.get("state")));
		ExhaustedNotification exhausted = this.shop.notifications()
			.exhausted(10)
			.stream()
			.filter(notification -> notification.id().equals("p-2"))
			.findFirst()
			.orElseThrow();
		this.out.println("   acme-pay: EXHAUSTED after " + exhausted.attempts() + " attempts (schedule 200ms,200ms), last: "
				+ exhausted.lastError());
		Reconciliation reconciliation = this.shop.reconcilerOf(this.shop.merchantB()).reconcile(NotifyShop.SENDER);
		this.out.println("   merchant B reconciles with acme-pay: " + reconciliation);
		this.out.println("   merchant B, paid orders: b-1 x " + paidOrders(this.shop.merchantB(), "b-1"));
		this.out.println("   acme-pay fixes merchant B's URL and retries p-2");
		this.shop.merchants()
			.register(NotifyShop.MERCHANT_B, this.shop.merchantBUrl() + "/dtx/notifications/" + NotifyShop.SENDER,
					NotifyShop.secret(NotifyShop.MERCHANT_B), "200ms,200ms");
		this.shop.notifications().retry("p-2");
		Map<String, Object> delivered = awaitNotification("p-2", row -> "DELIVERED".equals(row.get("state")));
		int paid = paidOrders(this.shop.merchantB(), "b-1");
		this.out.println("   acme-pay: " + delivered.get("state") + "; merchant B answered 200 (already applied)");
		this.out.println("   merchant B, paid orders: b-1 x " + paid);
		this.out.println();
		return new Scenario("p-2", (String) delivered.get("state"), ((Number) delivered.get("attempts")).intValue(),
				paid, exhausted, reconciliation);
	}

	private Map<String, Object> awaitNotification(String id, Predicate<Map<String, Object>> settled) {
		JdbcTemplate payment = Services.database(this.shop.payment());
		return Services.awaitSettled(id, SETTLE_TIMEOUT,
				() -> payment.queryForMap("select state, attempts, last_error from dtx_notification where id = ?", id),
				settled);
	}

	private static int paidOrders(ConfigurableApplicationContext merchant, String orderId) {
		return Services.database(merchant)
			.queryForObject("select count(*) from paid_order where order_id = ?", Integer.class, orderId);
	}

	/**
	 * One payment of the demo and how its notification ended.
	 *
	 * @param paymentId the payment, and the id of its notification
	 * @param state the notification's final state in the payment service
	 * @param attempts how many attempts it took
	 * @param paid how many times the merchant marked the order paid
	 * @param exhausted the notification as listed once exhausted, if it was
	 * @param reconciliation what the merchant's reconciliation found, if it ran
	 */
	public record Scenario(String paymentId, String state, int attempts, int paid,
			@Nullable ExhaustedNotification exhausted,
			@Nullable Reconciliation reconciliation) {

	}

}
