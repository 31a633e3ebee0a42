package io.dtx.message;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.dtx.core.DtxHeaders;
import io.dtx.outbox.RecordHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The records of the half-message topic. A half message carries the payload and headers
 * to deliver, where to deliver them and whom to ask; its decision, sent after the local
 * transaction ended, carries the message id and the outcome. Both are keyed by where the
 * message goes (its topic and key, or its id where it has no key), so a decision lands in
 * the partition of its half message, after it, and the messages of one key stay in one
 * partition of the resolver.
 */
final class MessageRecords {

	/** {@code HALF}, {@code COMMIT}, {@code ROLLBACK}, or the resolver's {@code DONE}. */
	static final String KIND = "Dtx-Message-Kind";

	/** The topic a half message is delivered to. */
	static final String TOPIC = "Dtx-Message-Topic";

	/** The key it is delivered with; absent for none. */
	static final String KEY = "Dtx-Message-Key";

	/** The base URL of the producing service, which answers its check-back. */
	static final String PRODUCER = "Dtx-Message-Producer";

	static final String HALF = "HALF";

	static final String COMMIT = "COMMIT";

	static final String ROLLBACK = "ROLLBACK";

	static final String DONE = "DONE";

	private static final Set<String> INTERNAL = Set.of(KIND, TOPIC, KEY, PRODUCER);

	private MessageRecords() {
	}

	static ProducerRecord<String, byte[]> half(String halfTopic, String messageId, String topic, @Nullable String key,
			byte[] payload, Map<String, String> headers, String producerUrl) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(halfTopic, partitionKey(messageId, topic, key),
				payload);
		headers.forEach((name, value) -> add(record.headers(), name, value));
		add(record.headers(), KIND, HALF);
		add(record.headers(), DtxHeaders.MESSAGE_ID, messageId);
		add(record.headers(), TOPIC, topic);
		if (key != null) {
			add(record.headers(), KEY, key);
		}
		add(record.headers(), PRODUCER, producerUrl);
		return record;
	}

	static ProducerRecord<String, byte[]> decision(String halfTopic, String messageId, String topic,
			@Nullable String key, boolean commit) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(halfTopic, partitionKey(messageId, topic, key),
				null);
		add(record.headers(), KIND, commit ? COMMIT : ROLLBACK);
		add(record.headers(), DtxHeaders.MESSAGE_ID, messageId);
		return record;
	}

	/**
	 * The resolver's mark that a message was delivered or dropped, in its half message's
	 * partition, written in the transaction that delivered it: read again after a crash, it
	 * keeps the message from being delivered twice.
	 */
	static ProducerRecord<String, byte[]> done(ConsumerRecord<String, byte[]> half, String messageId) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(half.topic(), half.partition(), half.key(), null);
		add(record.headers(), KIND, DONE);
		add(record.headers(), DtxHeaders.MESSAGE_ID, messageId);
		return record;
	}

	/**
	 * The record a committed half message becomes: its payload, key and headers to its topic,
	 * with its id and without the half topic's own headers.
	 */
	static ProducerRecord<String, byte[]> delivery(ConsumerRecord<String, byte[]> half) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(RecordHeaders.text(half, TOPIC), null,
				RecordHeaders.text(half, KEY), half.value());
		for (Header header : half.headers()) {
			if (!INTERNAL.contains(header.key())) {
				record.headers().add(header);
			}
		}
		return record;
	}

	private static String partitionKey(String messageId, String topic, @Nullable String key) {
		return (key != null) ? topic + "/" + key : messageId;
	}

	private static void add(Headers headers, String name, String value) {
		headers.remove(name);
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
