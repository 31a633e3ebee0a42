package io.dtx.samples.commandshop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.dtx.samples.commandshop.delivery.DeliveryApplication;
import io.dtx.samples.commandshop.order.OrderApplication;
import io.dtx.samples.commandshop.order.OrderService;
import io.dtx.samples.commandshop.payment.PaymentApplication;
import io.dtx.samples.commandshop.stock.StockApplication;
import io.dtx.samples.services.Services;
import io.dtx.saga.orchestration.SagaOrchestrator;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The four services of the saga by commands and the Kafka broker between them, run in one
 * JVM: the broker in-process (so that the demo needs no server), each service its own
 * application context and database, sharing only the settings of {@code command-shop.yml}
 * and the broker's address. Closing the shop stops them all.
 */
public final class CommandShop implements AutoCloseable {

	// the participants' channels and the order service's reply channel (its name + ".saga-replies")
	private static final String[] TOPICS = { ShopCommands.PAYMENT, ShopCommands.STOCK, ShopCommands.DELIVERY,
			"order.saga-replies" };

	private final EmbeddedKafkaKraftBroker broker;

	private final List<ConfigurableApplicationContext> services;

	private CommandShop(EmbeddedKafkaKraftBroker broker, List<ConfigurableApplicationContext> services) {
		this.broker = broker;
		this.services = services;
	}

	public static CommandShop start() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, TOPICS);
		broker.afterPropertiesSet();
		List<ConfigurableApplicationContext> started = new ArrayList<>();
		try {
			for (Class<?> application : List.of(OrderApplication.class, PaymentApplication.class,
					StockApplication.class, DeliveryApplication.class)) {
				String name = application.getSimpleName().replace("Application", "").toLowerCase(Locale.ROOT);
				Services.start(started, application, "command-shop", "command-" + name,
						"spring.kafka.bootstrap-servers=" + broker.getBrokersAsString());
			}
			return new CommandShop(broker, started);
		}
		catch (RuntimeException ex) {
			started.forEach(ConfigurableApplicationContext::close);
			broker.destroy();
			throw ex;
		}
	}

	public OrderService orderService() {
		return order().getBean(OrderService.class);
	}

	/**
	 * The order service's orchestrator: where a saga is, and its history.
	 */
	public SagaOrchestrator orchestrator() {
		return order().getBean(SagaOrchestrator.class);
	}

	public ConfigurableApplicationContext order() {
		return this.services.get(0);
	}

	public ConfigurableApplicationContext payment() {
		return this.services.get(1);
	}

	public ConfigurableApplicationContext stock() {
		return this.services.get(2);
	}

	public ConfigurableApplicationContext delivery() {
		return this.services.get(3);
	}

	@Override
	public void close() {
		this.services.forEach(ConfigurableApplicationContext::close);
		this.broker.destroy();
	}

}
