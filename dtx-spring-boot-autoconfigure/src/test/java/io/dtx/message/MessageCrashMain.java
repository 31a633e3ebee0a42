package io.dtx.message;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.dtx.tcc.crash.CrashPoints;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A service of the message fault tests in a JVM of its own, configured by command-line
 * properties, which halts at the point the {@code dtx.crash.point} system property names,
 * as {@code kill -9} would end it there. A producer sends one message to
 * {@code crash.topic} once started, and halts in its local transaction; a resolver halts
 * in the Kafka transaction of a delivery. The points are test code around dtx (the local
 * transaction, a Kafka producer interceptor), none in dtx's code.
 */
public final class MessageCrashMain {

	/** The producer, after its half message and its barrier, before its local transaction commits. */
	static final String PRODUCER_BEFORE_COMMIT = "producer-before-commit";

	/** The producer, after its local transaction committed, before it sends the decision. */
	static final String PRODUCER_AFTER_COMMIT = "producer-after-commit";

	/** The resolver, in the Kafka transaction of its deliveries, at the fifth delivery. */
	static final String RESOLVER_MID_DELIVERY = "resolver-mid-delivery";

	/** The line printed once the application is started. */
	static final String STARTED = "MESSAGE-CRASH started";

	private static final String POINT = "dtx.crash.point";

	private MessageCrashMain() {
	}

	public static void main(String[] args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(CrashApplication.class)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		System.out.println(STARTED);
		System.out.flush();
		String point = System.getProperty(POINT, "");
		if (point.startsWith("producer")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			context.getBean(TransactionalMessages.class)
				.send(context.getEnvironment().getRequiredProperty("crash.topic"), "order-1", Map.of("order", "order-1"),
						() -> {
							jdbc.update("update account set balance = balance - 30 where id = 'alice'");
							if (point.equals(PRODUCER_BEFORE_COMMIT)) {
								halt(point);
							}
							TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

								@Override
								public void afterCommit() {
									halt(point);
								}

							});
						});
		}
	}

	static void halt(String point) {
		System.out.println(CrashPoints.reached(point));
		System.out.flush();
		Runtime.getRuntime().halt(137);
	}

	@SpringBootApplication
	static class CrashApplication {

	}

	/**
	 * Halts the resolver at its fifth delivery, after four were sent in the same Kafka
	 * transaction and before it commits: configured as the interceptor of dtx's producers in
	 * a resolver that sends nothing else to the topic it watches.
	 */
	public static final class HaltingDeliveryInterceptor implements ProducerInterceptor<String, byte[]> {

		private static final AtomicInteger deliveries = new AtomicInteger();

		private String topic = "";

		@Override
		public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
			if (record.topic().equals(this.topic) && deliveries.incrementAndGet() == 5) {
				halt(RESOLVER_MID_DELIVERY);
			}
			return record;
		}

		@Override
		public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
		}

		@Override
		public void close() {
		}

		@Override
		public void configure(Map<String, ?> configs) {
			this.topic = System.getProperty("crash.topic", "");
		}

	}

}
