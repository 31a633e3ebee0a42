package io.dtx.samples.notifyshop;

import java.util.ArrayList;
import java.util.List;

import io.dtx.notify.NotificationReconciler;
import io.dtx.notify.Notifications;
import io.dtx.samples.notifyshop.merchant.MerchantApplication;
import io.dtx.samples.notifyshop.payment.Merchants;
import io.dtx.samples.notifyshop.payment.PaymentApplication;
import io.dtx.samples.notifyshop.payment.PaymentService;
import io.dtx.samples.services.Services;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The payment service and two merchants of the notification demo, in one JVM, each its own
 * application context, database and port. Merchant A's address is handed out before it
 * starts (its port is reserved), so the payment service notifies a merchant that is down;
 * merchant B runs from the start. Closing the shop stops them all.
 */
public final class NotifyShop implements AutoCloseable {

	public static final String SENDER = "acme-pay";

	public static final String MERCHANT_A = "merchant-a";

	public static final String MERCHANT_B = "merchant-b";

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	private final ConfigurableApplicationContext payment;

	private final int merchantAPort = Services.freePort();

	private @Nullable ConfigurableApplicationContext merchantA;

	private final ConfigurableApplicationContext merchantB;

	private NotifyShop() {
		try {
			this.payment = Services.start(this.started, PaymentApplication.class, "notify-shop", "notify-payment");
			this.merchantB = startMerchant(MERCHANT_B, 0);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	public static NotifyShop start() {
		return new NotifyShop();
	}

	/**
	 * Starts merchant A at the address the payment service already has for it.
	 */
	public ConfigurableApplicationContext startMerchantA() {
		this.merchantA = startMerchant(MERCHANT_A, this.merchantAPort);
		return this.merchantA;
	}

	private ConfigurableApplicationContext startMerchant(String name, int port) {
		return Services.start(this.started, MerchantApplication.class, "notify-shop", "notify-merchant",
				"spring.application.name=" + name, "merchant.port=" + port, "merchant.secret=" + secret(name),
				"payment.url=" + Services.url(this.payment));
	}

	/**
	 * Where merchant A receives notifications, whether it runs or not.
	 */
	public String merchantANotifyUrl() {
		return "http://localhost:" + this.merchantAPort + "/dtx/notifications/" + SENDER;
	}

	public String merchantBUrl() {
		return Services.url(this.merchantB);
	}

	/**
	 * The secret a merchant shares with the payment service (a real one is a random string
	 * handed over once, when the merchant signs up).
	 */
	public static String secret(String merchant) {
		return merchant + "-shared-secret";
	}

	public ConfigurableApplicationContext payment() {
		return this.payment;
	}

	public PaymentService payments() {
		return this.payment.getBean(PaymentService.class);
	}

	public Merchants merchants() {
		return this.payment.getBean(Merchants.class);
	}

	public Notifications notifications() {
		return this.payment.getBean(Notifications.class);
	}

	public ConfigurableApplicationContext merchantA() {
		if (this.merchantA == null) {
			throw new IllegalStateException("Merchant A has not started");
		}
		return this.merchantA;
	}

	public ConfigurableApplicationContext merchantB() {
		return this.merchantB;
	}

	public NotificationReconciler reconcilerOf(ConfigurableApplicationContext merchant) {
		return merchant.getBean(NotificationReconciler.class);
	}

	@Override
	public void close() {
		// the merchants first, so that no notification is sent to one that has gone
		for (int i = this.started.size() - 1; i >= 0; i--) {
			this.started.get(i).close();
		}
	}

}
