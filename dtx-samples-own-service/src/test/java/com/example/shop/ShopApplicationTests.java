package com.example.shop;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The service of the README's "Your own service", as written there, starts on H2 with an
 * in-process broker: an order confirmed, one the stock cannot serve cancelled, and a
 * shipment's event sent to Kafka by the outbox.
 */
@SpringBootTest
@EmbeddedKafka(topics = "orders")
class ShopApplicationTests {

	@Autowired
	private Orders orders;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private EmbeddedKafkaBroker broker;

	@Test
	void placesOrdersAndShipsThem() {
		this.orders.place("o-1", "widget", 2);
		assertThat(stock()).isEqualTo(Map.of("AVAILABLE", 8, "RESERVED", 0));
		assertThatIllegalStateException().isThrownBy(() -> this.orders.place("o-2", "widget", 100))
			.withMessage("Out of stock: widget");
		assertThat(stock()).isEqualTo(Map.of("AVAILABLE", 8, "RESERVED", 0));

		this.orders.ship("o-1");
		Map<String, Object> properties = KafkaTestUtils.consumerProps(this.broker, "shop-tests", false);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(),
				new StringDeserializer())
			.createConsumer()) {
			this.broker.consumeFromAnEmbeddedTopic(consumer, "orders");
			ConsumerRecord<String, String> shipped = KafkaTestUtils.getSingleRecord(consumer, "orders",
					Duration.ofSeconds(20));
			assertThat(shipped.key()).isEqualTo("o-1");
			assertThat(shipped.value()).isEqualTo("{\"orderId\":\"o-1\"}");
		}
	}

	private Map<String, Object> stock() {
		return this.jdbc.queryForMap("select available, reserved from stock where item = 'widget'");
	}

}
