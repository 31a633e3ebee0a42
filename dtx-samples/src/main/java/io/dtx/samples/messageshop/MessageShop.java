package io.dtx.samples.messageshop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.dtx.message.MessageResolver;
import io.dtx.samples.messageshop.delivery.DeliveryApplication;
import io.dtx.samples.messageshop.order.CrashingOrderService;
import io.dtx.samples.messageshop.order.OrderApplication;
import io.dtx.samples.messageshop.order.OrderService;
import io.dtx.samples.services.Services;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The order and delivery services of the transactional-message demo and the Kafka broker
 * between them, in one JVM, except when the order service is to be killed: then it runs in
 * a JVM of its own. The order service keeps its database in a file and listens at a port
 * chosen once, so that, started again after the kill, it is the same service at the same
 * address. Closing the shop stops them all and deletes the file.
 */
public final class MessageShop implements AutoCloseable {

	private final EmbeddedKafkaKraftBroker broker;

	private final Path orderData;

	private final int orderPort = Services.freePort();

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	private final ConfigurableApplicationContext delivery;

	private @Nullable ConfigurableApplicationContext order;

	private MessageShop() throws IOException {
		this.broker = new EmbeddedKafkaKraftBroker(1, 1, OrderPlaced.TOPIC);
		// one broker: the resolver's Kafka transactions keep their log on it alone
		this.broker.brokerProperty("transaction.state.log.replication.factor", "1");
		this.broker.brokerProperty("transaction.state.log.min.isr", "1");
		this.orderData = Files.createTempDirectory("dtx-message-shop");
		try {
			this.broker.afterPropertiesSet();
			this.delivery = Services.start(this.started, DeliveryApplication.class, "message-shop", "message-delivery",
					"spring.kafka.bootstrap-servers=" + this.broker.getBrokersAsString());
			startOrder();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	public static MessageShop start() {
		try {
			return new MessageShop();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No directory for the order service's database", ex);
		}
	}

	/**
	 * Starts the order service in this JVM, on its database and at its address.
	 */
	public ConfigurableApplicationContext startOrder() {
		this.order = Services.start(this.started, OrderApplication.class, "message-shop", "message-order",
				orderProperties());
		return this.order;
	}

	/**
	 * Stops the order service that runs in this JVM.
	 */
	public void stopOrder() {
		ConfigurableApplicationContext running = order();
		running.close();
		this.started.remove(running);
		this.order = null;
	}

	/**
	 * Runs the order service in a JVM of its own that places {@code orderId} and dies right
	 * after its local commit (see {@link CrashingOrderService}); returns once it has died.
	 */
	public void placeAndCrash(String orderId) {
		if (this.order != null) {
			throw new IllegalStateException("The order service already runs in this JVM");
		}
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), CrashingOrderService.class.getName()));
		Stream.of(orderProperties()).map((property) -> "--" + property).forEach(command::add);
		command.add("--demo.crash-order=" + orderId);
		try {
			Path output = this.orderData.resolve("crashing-order-service.log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("The crashing order service did not die; its output: " + Files.readString(output));
			}
			if (process.exitValue() != CrashingOrderService.KILLED) {
				throw new IllegalStateException("The crashing order service ended with " + process.exitValue()
						+ " before its crash; its output: " + Files.readString(output));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run the crashing order service", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String[] orderProperties() {
		return new String[] { "spring.config.name=message-shop,message-order",
				"spring.datasource.url=" + orderDatabaseUrl(),
				"spring.datasource.username=sa", "server.port=" + this.orderPort,
				"dtx.http.self-url=http://localhost:" + this.orderPort,
				"spring.kafka.bootstrap-servers=" + this.broker.getBrokersAsString() };
	}

	public OrderService orderService() {
		return order().getBean(OrderService.class);
	}

	/**
	 * The order service's database, read directly: also while the service is down.
	 */
	public JdbcTemplate orderDatabase() {
		return new JdbcTemplate(new DriverManagerDataSource(orderDatabaseUrl(), "sa", ""));
	}

	// every commit written to the file before it returns (H2 delays it by 500ms otherwise):
	// what the killed service committed must be there when it starts again
	private String orderDatabaseUrl() {
		return "jdbc:h2:file:" + this.orderData.resolve("orders") + ";WRITE_DELAY=0";
	}

	public ConfigurableApplicationContext delivery() {
		return this.delivery;
	}

	public MessageResolver resolver() {
		return this.delivery.getBean(MessageResolver.class);
	}

	private ConfigurableApplicationContext order() {
		if (this.order == null) {
			throw new IllegalStateException("The order service does not run in this JVM");
		}
		return this.order;
	}

	@Override
	public void close() {
		this.started.forEach(ConfigurableApplicationContext::close);
		this.broker.destroy();
		try (Stream<Path> files = Files.walk(this.orderData)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

}
