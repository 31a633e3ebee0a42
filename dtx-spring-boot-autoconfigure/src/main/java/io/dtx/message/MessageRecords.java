package io.dtx.message;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.dtx.core.DtxHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
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

	/** {@code HALF}, {@code COMMIT} or {@code ROLLBACK}. */
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

	private static String partitionKey(String messageId, String topic, @Nullable String key) {
		return (key != null) ? topic + "/" + key : messageId;
	}

	private static void add(Headers headers, String name, String value) {
		headers.remove(name);
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
