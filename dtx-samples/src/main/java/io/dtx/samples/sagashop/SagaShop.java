package io.dtx.samples.sagashop;

import java.util.ArrayList;
import java.util.List;

import io.dtx.samples.sagashop.delivery.DeliveryApplication;
import io.dtx.samples.sagashop.order.OrderApplication;
import io.dtx.samples.sagashop.order.OrderService;
import io.dtx.samples.sagashop.payment.PaymentApplication;
import io.dtx.samples.sagashop.stock.StockApplication;
import io.dtx.samples.services.Services;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The four services of the saga shop, run in one JVM as they would run on four hosts:
 * each its own application context, database and port, sharing only the settings of
 * {@code saga-shop.yml}. Payment, stock and delivery start first, on free ports; the order
 * service then gets their URLs as properties. Closing the shop stops all four.
 */
public final class SagaShop implements AutoCloseable {

	private final List<ConfigurableApplicationContext> participants;

	private final ConfigurableApplicationContext order;

	private SagaShop(List<ConfigurableApplicationContext> participants, ConfigurableApplicationContext order) {
		this.participants = participants;
		this.order = order;
	}

	public static SagaShop start() {
		List<ConfigurableApplicationContext> started = new ArrayList<>();
		try {
			ConfigurableApplicationContext payment = start(started, PaymentApplication.class, "saga-payment");
			ConfigurableApplicationContext stock = start(started, StockApplication.class, "saga-stock");
			ConfigurableApplicationContext delivery = start(started, DeliveryApplication.class, "saga-delivery");
			ConfigurableApplicationContext order = start(new ArrayList<>(), OrderApplication.class, "saga-order",
					"shop.payment.url=" + Services.url(payment), "shop.stock.url=" + Services.url(stock),
					"shop.delivery.url=" + Services.url(delivery));
			return new SagaShop(started, order);
		}
		catch (RuntimeException ex) {
			started.forEach(ConfigurableApplicationContext::close);
			throw ex;
		}
	}

	private static ConfigurableApplicationContext start(List<ConfigurableApplicationContext> started,
			Class<?> application, String configName, String... properties) {
		return Services.start(started, application, "saga-shop", configName, properties);
	}

	public OrderService orderService() {
		return this.order.getBean(OrderService.class);
	}

	public ConfigurableApplicationContext order() {
		return this.order;
	}

	public ConfigurableApplicationContext payment() {
		return this.participants.get(0);
	}

	public ConfigurableApplicationContext stock() {
		return this.participants.get(1);
	}

	public ConfigurableApplicationContext delivery() {
		return this.participants.get(2);
	}

	@Override
	public void close() {
		// the orchestrator first: nothing is left to call the participants once they stop
		this.order.close();
		this.participants.forEach(ConfigurableApplicationContext::close);
	}

}
