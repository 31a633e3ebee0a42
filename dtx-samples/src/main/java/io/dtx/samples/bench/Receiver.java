package io.dtx.samples.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer on every partition of a topic, from its end when started, that reads
 * committed records only, as an application's consumer does, and notes when each value
 * arrived (wall clock, milliseconds) until closed.
 */
final class Receiver implements AutoCloseable {

	private final Thread thread;

	private final CountDownLatch positioned = new CountDownLatch(1);

	private volatile boolean closed;

	Receiver(String bootstrapServers, String topic, Map<String, Long> receivedAt) throws InterruptedException {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "bench-receiver-" + System.nanoTime(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed");
		this.thread = new Thread(() -> {
			try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
					new StringDeserializer())) {
				List<TopicPartition> partitions = consumer.partitionsFor(topic)
					.stream()
					.map((info) -> new TopicPartition(topic, info.partition()))
					.toList();
				consumer.assign(partitions);
				consumer.seekToEnd(partitions);
				// seekToEnd is lazy: what is sent from here on is what this receives
				partitions.forEach(consumer::position);
				this.positioned.countDown();
				while (!this.closed) {
					for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
						receivedAt.putIfAbsent(record.value(), System.currentTimeMillis());
					}
				}
			}
		}, "bench-receiver");
		this.thread.start();
		if (!this.positioned.await(1, TimeUnit.MINUTES)) {
			throw new IllegalStateException("the receiver found no position on " + topic + " within a minute");
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		this.thread.join();
	}

}
