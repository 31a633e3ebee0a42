package io.dtx.saga.orchestration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dtx.core.ErrorText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka listener containers of saga commands and replies: one per channel, acknowledging
 * each record once its transaction committed, and retrying a record whose handling failed
 * (a database away) with backoff, without end: its transition or reply is not lost.
 */
public final class SagaListeners {

	private static final Log logger = LogFactory.getLog(SagaListeners.class);

	private final DefaultKafkaConsumerFactory<String, byte[]> consumerFactory;

	private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();

	public SagaListeners(Map<String, Object> consumerProperties) {
		Map<String, Object> properties = new java.util.HashMap<>(consumerProperties);
		// a participant or orchestrator that starts after a command or reply was sent still gets it
		properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumerFactory = new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(),
				new ByteArrayDeserializer());
	}

	void listen(String channel, String groupId, MessageListener<String, byte[]> listener) {
		ContainerProperties container = new ContainerProperties(channel);
		container.setGroupId(groupId);
		container.setAckMode(ContainerProperties.AckMode.RECORD);
		container.setMessageListener(listener);
		ConcurrentMessageListenerContainer<String, byte[]> started = new ConcurrentMessageListenerContainer<>(
				this.consumerFactory, container);
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
		backOff.setMaxInterval(10_000);
		DefaultErrorHandler errorHandler = new DefaultErrorHandler(backOff);
		errorHandler.setRetryListeners((record, ex, attempt) -> logger.warn("Saga record on " + channel + " at offset "
				+ record.offset() + " of partition " + record.partition() + " failed (attempt " + attempt
				+ "), tried again: " + ErrorText.of(ex)));
		started.setCommonErrorHandler(errorHandler);
		started.setBeanName("dtx-saga-" + channel);
		this.containers.add(started);
		started.start();
	}

	void stop() {
		this.containers.forEach(ConcurrentMessageListenerContainer::stop);
		this.containers.clear();
	}

	static byte[] value(ConsumerRecord<String, byte[]> record) {
		return (record.value() != null) ? record.value() : "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

}
