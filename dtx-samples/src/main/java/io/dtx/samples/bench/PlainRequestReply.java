package io.dtx.samples.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

import io.dtx.samples.bench.CommandSagaBenchShop.Completions;
import io.dtx.samples.bench.CommandSagaBenchShop.Debit;
import io.dtx.samples.bench.CommandSagaBenchShop.Done;
import io.dtx.samples.bench.CommandSagaBenchShop.Grant;
import io.dtx.samples.bench.CommandSagaBenchShop.Order;
import io.dtx.samples.bench.CommandSagaBenchShop.Take;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The baseline of the benchmark of sagas by commands: the same three remote steps as plain
 * Kafka request/reply, without dtx. The starters' side keeps each saga in memory and sends
 * the next command when a reply comes; each participant runs its UPDATE in a local
 * transaction, then sends its reply. The same broker hops (three commands, three replies),
 * the same JSON, the same business SQL, listener containers set up as dtx's (one consumer
 * per channel, each record acknowledged once handled) and a producer as dtx's relay's
 * (acks=all, idempotent, linger 1 ms); no saga row, no history, no outbox, no inbox: a crash
 * loses the saga, a redelivered command is applied twice.
 */
final class PlainRequestReply implements AutoCloseable {

	static final String PAYMENT = "plainbench.payment";

	static final String STOCK = "plainbench.stock";

	static final String LOYALTY = "plainbench.loyalty";

	static final String REPLIES = "plainbench.replies";

	static final String[] TOPICS = { PAYMENT, STOCK, LOYALTY, REPLIES };

	private static final String STEP = "step";

	private final KafkaProducer<String, byte[]> producer;

	private final DefaultKafkaConsumerFactory<String, byte[]> consumers;

	private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();

	private final JsonMapper jsonMapper = new JsonMapper();

	private final Map<String, Order> underWay = new ConcurrentHashMap<>();

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Completions completions;

	private final LongAdder completed = new LongAdder();

	PlainRequestReply(String bootstrapServers, JdbcTemplate participantsDatabase, TransactionTemplate transactions,
			Completions completions) {
		this.jdbc = participantsDatabase;
		this.transactions = transactions;
		this.completions = completions;
		Map<String, Object> producer = new HashMap<>();
		producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		producer.put(ProducerConfig.LINGER_MS_CONFIG, 1);
		this.producer = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer());
		Map<String, Object> consumer = new HashMap<>();
		consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumers = new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(),
				new ByteArrayDeserializer());
		listen(PAYMENT, (record) -> participant(record, Debit.class,
				(debit) -> CommandSagaBenchShop.update(this.jdbc, CommandSagaBenchShop.DEBIT, debit.amount(),
						debit.account())));
		listen(STOCK, (record) -> participant(record, Take.class,
				(take) -> CommandSagaBenchShop.update(this.jdbc, CommandSagaBenchShop.TAKE, take.quantity(),
						take.item())));
		listen(LOYALTY, (record) -> participant(record, Grant.class,
				(grant) -> CommandSagaBenchShop.update(this.jdbc, CommandSagaBenchShop.GRANT, grant.points(),
						grant.account())));
		listen(REPLIES, this::reply);
	}

	/**
	 * Starts the saga of {@code order}: its first command.
	 */
	void start(Order order) {
		this.underWay.put(order.id(), order);
		send(PAYMENT, order.id(), 0, new Debit(order.account(), order.amount()));
	}

	/**
	 * How many sagas completed.
	 */
	long completed() {
		return this.completed.sum();
	}

	/**
	 * How many sagas wait for a reply.
	 */
	int underWay() {
		return this.underWay.size();
	}

	private <C> void participant(ConsumerRecord<String, byte[]> record, Class<C> type,
			ToIntFunction<C> apply) {
		C command = this.jsonMapper.readValue(record.value(), type);
		int rows = this.transactions.execute((status) -> apply.applyAsInt(command));
		send(REPLIES, record.key(), step(record), new Done(rows));
	}

	private void reply(ConsumerRecord<String, byte[]> record) {
		Order order = this.underWay.get(record.key());
		if (order == null) {
			return;
		}
		switch (step(record)) {
			case 0 -> send(STOCK, order.id(), 1, new Take(order.item(), order.quantity()));
			case 1 -> send(LOYALTY, order.id(), 2, new Grant(order.account(), order.amount()));
			default -> {
				this.underWay.remove(order.id());
				this.completed.increment();
				this.completions.complete(order.id());
			}
		}
	}

	private void send(String topic, String key, int step, Object payload) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key,
				this.jsonMapper.writeValueAsBytes(payload));
		record.headers().add(STEP, Integer.toString(step).getBytes(StandardCharsets.UTF_8));
		this.producer.send(record);
	}

	private static int step(ConsumerRecord<String, byte[]> record) {
		Header header = record.headers().lastHeader(STEP);
		return Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
	}

	private void listen(String topic, MessageListener<String, byte[]> listener) {
		ContainerProperties properties = new ContainerProperties(topic);
		properties.setGroupId("plainbench-" + topic);
		properties.setAckMode(ContainerProperties.AckMode.RECORD);
		properties.setMessageListener(listener);
		ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
				this.consumers, properties);
		container.setCommonErrorHandler(new DefaultErrorHandler());
		container.setBeanName("plainbench-" + topic);
		container.start();
		this.containers.add(container);
	}

	@Override
	public void close() {
		this.containers.forEach(ConcurrentMessageListenerContainer::stop);
		this.producer.close();
	}

}
