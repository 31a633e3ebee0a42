package io.dtx.samples.tccshop;

import java.util.ArrayList;
import java.util.List;

import io.dtx.samples.tccshop.order.OrderApplication;
import io.dtx.samples.tccshop.order.OrderService;
import io.dtx.samples.tccshop.payment.PaymentApplication;
import io.dtx.samples.services.Services;
import io.dtx.samples.tccshop.stock.StockApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services of the TCC shop, run in one JVM as they would run on three hosts:
 * each its own application context, database and port, sharing only the settings of
 * {@code tcc-shop.yml}. Stock and payment start first, on free ports; the order service
 * then gets their URLs as properties. Closing the shop stops all three.
 */
public final class TccShop implements AutoCloseable {

	private final ConfigurableApplicationContext stock;

	private final ConfigurableApplicationContext payment;

	private final ConfigurableApplicationContext order;

	private TccShop(ConfigurableApplicationContext stock, ConfigurableApplicationContext payment,
			ConfigurableApplicationContext order) {
		this.stock = stock;
		this.payment = payment;
		this.order = order;
	}

	public static TccShop start() {
		List<ConfigurableApplicationContext> started = new ArrayList<>();
		try {
			ConfigurableApplicationContext stock = start(started, StockApplication.class, "tcc-stock");
			ConfigurableApplicationContext payment = start(started, PaymentApplication.class, "tcc-payment");
			ConfigurableApplicationContext order = start(started, OrderApplication.class, "tcc-order",
					"shop.stock.url=" + url(stock), "shop.payment.url=" + url(payment));
			return new TccShop(stock, payment, order);
		}
		catch (RuntimeException ex) {
			started.forEach(ConfigurableApplicationContext::close);
			throw ex;
		}
	}

	private static ConfigurableApplicationContext start(List<ConfigurableApplicationContext> started,
			Class<?> application, String configName, String... properties) {
		return Services.start(started, application, "tcc-shop", configName, properties);
	}

	private static String url(ConfigurableApplicationContext service) {
		return Services.url(service);
	}


	public OrderService orderService() {
		return this.order.getBean(OrderService.class);
	}

	public ConfigurableApplicationContext order() {
		return this.order;
	}

	public ConfigurableApplicationContext stock() {
		return this.stock;
	}

	public ConfigurableApplicationContext payment() {
		return this.payment;
	}


	@Override
	public void close() {
		// the initiator first: nothing is left to call the participants once they stop
		this.order.close();
		this.payment.close();
		this.stock.close();
	}

}
