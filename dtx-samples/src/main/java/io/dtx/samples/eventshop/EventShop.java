package io.dtx.samples.eventshop;

import java.util.ArrayList;
import java.util.List;

import io.dtx.samples.eventshop.delivery.DeliveryApplication;
import io.dtx.samples.eventshop.order.OrderApplication;
import io.dtx.samples.eventshop.order.OrderService;
import io.dtx.samples.eventshop.payment.PaymentApplication;
import io.dtx.samples.eventshop.stock.StockApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The four services of the saga by events and the Kafka broker between them, run in one
 * JVM: the broker in-process (so that the demo needs no server), each service its own
 * application context and database, sharing only the settings of {@code event-shop.yml}
 * and the broker's address. Closing the shop stops them all.
 */
public final class EventShop implements AutoCloseable {

	private static final String[] TOPICS = { OrderEvent.ORDER_CREATED, OrderEvent.BILLED_ORDER,
			OrderEvent.ORDER_PREPARED, OrderEvent.ORDER_DELIVERED, OrderEvent.PRODUCT_OUT_OF_STOCK };

	private final EmbeddedKafkaKraftBroker broker;

	private final List<ConfigurableApplicationContext> services;

	private EventShop(EmbeddedKafkaKraftBroker broker, List<ConfigurableApplicationContext> services) {
		this.broker = broker;
		this.services = services;
	}

	public static EventShop start() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, TOPICS);
		broker.afterPropertiesSet();
		List<ConfigurableApplicationContext> started = new ArrayList<>();
		try {
			for (Class<?> application : List.of(OrderApplication.class, PaymentApplication.class,
					StockApplication.class, DeliveryApplication.class)) {
				String name = application.getSimpleName().replace("Application", "").toLowerCase(java.util.Locale.ROOT);
				started.add(new SpringApplicationBuilder(application)
					.properties("spring.config.name=event-shop,event-" + name,
							"spring.kafka.bootstrap-servers=" + broker.getBrokersAsString())
					.run());
			}
			return new EventShop(broker, started);
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
