package io.dtx.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * An in-process KRaft broker on a fixed port, which a test can stop and start again on
 * that port, as a broker that goes away and comes back. Share one per test class.
 */
public final class KafkaBroker implements AutoCloseable {

	private final int port;

	private EmbeddedKafkaKraftBroker broker;

	private KafkaBroker(int port) {
		this.port = port;
		this.broker = started(port);
	}

	public static KafkaBroker start() {
		return new KafkaBroker(Ports.free());
	}

	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Stops the broker: its port refuses connections until {@link #restart()}.
	 */
	public void stop() {
		this.broker.destroy();
	}

	/**
	 * Starts a broker on the same port again. It is a new cluster: the records of the
	 * old one are gone, the clients reconnect to it.
	 */
	public void restart() {
		this.broker = started(this.port);
	}

	public void createTopic(String name, int partitions) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot create topic " + name, ex);
		}
	}

	/**
	 * Reads {@code topic} from its beginning until {@code count} records have come or
	 * {@code timeout} passed, and returns what came.
	 */
	public List<ConsumerRecord<String, String>> consume(String topic, int count, Duration timeout) {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
				// what an aborted Kafka transaction wrote is not there
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (records.size() < count && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
			}
		}
		return records;
	}

	/**
	 * Reads {@code topic} from its beginning to its end as the broker sees it now: every
	 * record acknowledged before the call (and, of Kafka transactions, committed), duplicates
	 * included.
	 */
	public List<ConsumerRecord<String, String>> consumeToEnd(String topic, Duration timeout) {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
				false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("cannot read " + topic + " to its end " + ends + " within "
							+ timeout + "; read " + records.size());
				}
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
			}
		}
		return records;
	}

	public static String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	@Override
	public void close() {
		this.broker.destroy();
	}

	private static EmbeddedKafkaKraftBroker started(int port) {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		// the KRaft broker ignores kafkaPorts(), and Kafka's test kit binds its own listeners to
		// ports it picks: a third listener, which the kit leaves alone, serves the fixed port
		broker.brokerProperty("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,FIXED://127.0.0.1:" + port);
		// a topic exists once a test created it, not because a client asked for it
		broker.brokerProperty("auto.create.topics.enable", "false");
		// one broker: Kafka's transactions (the messages' resolver) keep their log on it alone
		broker.brokerProperty("transaction.state.log.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.min.isr", "1");
		// a transaction whose producer was killed is aborted within a second of its timeout
		broker.brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
		// a killed consumer's partitions may move on after 3 s rather than Kafka's least of 6
		broker.brokerProperty("group.min.session.timeout.ms", "3000");
		broker.brokerProperty("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,FIXED:PLAINTEXT");
		broker.afterPropertiesSet();
		return broker;
	}


}
