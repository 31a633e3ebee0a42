package io.dtx.outbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dtx.core.DtxHeaders;
import io.dtx.jdbc.CallerTransaction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.IllegalTransactionStateException;

/**
 * Publishes messages to Kafka through the outbox: each is written as a row in the
 * caller's transaction (JDBC, JPA or JTA alike, whatever transaction is bound to the
 * thread) and sent by the relay once, and only if, that transaction commits. Messages of
 * one key reach Kafka in the order they were published.
 */
public class Outbox {

	private final OutboxStore store;

	private final JsonMapper jsonMapper;

	private final ContextHeaders contextHeaders;

	private final Runnable wakeRelay;

	public Outbox(OutboxStore store, JsonMapper jsonMapper, ContextHeaders contextHeaders, Runnable wakeRelay) {
		this.store = store;
		this.jsonMapper = jsonMapper;
		this.contextHeaders = contextHeaders;
		this.wakeRelay = wakeRelay;
	}

	/**
	 * Publishes {@code payload} to {@code topic} under {@code key}: a {@code String} as
	 * UTF-8, a {@code byte[]} as it is, anything else as JSON. Returns the message id.
	 * @throws IllegalTransactionStateException when no transaction is active
	 */
	public String publish(String topic, @Nullable String key, Object payload) {
		return publish(topic, key, payload, Map.of());
	}

	/**
	 * Publishes {@code payload} with headers of the caller's own besides dtx's. Returns
	 * the message id.
	 * @throws IllegalTransactionStateException when no transaction is active
	 */
	public String publish(String topic, @Nullable String key, Object payload, Map<String, String> headers) {
		CallerTransaction.require("Outbox#publish to '" + topic + "'", "the message is sent");
		String messageId = UUID.randomUUID().toString();
		Map<String, String> all = new LinkedHashMap<>(headers);
		this.contextHeaders.write(all::put);
		all.put(DtxHeaders.MESSAGE_ID, messageId);
		this.store.insert(messageId, topic, key, bytes(payload), this.jsonMapper.writeValueAsString(all));
		// one wake-up per transaction, however many messages it publishes
		CallerTransaction.afterCommitOnce(this, this.wakeRelay);
		return messageId;
	}

	/**
	 * The messages parked as dead, oldest first; the later messages of their keys wait
	 * behind them.
	 */
	public List<DeadMessage> deadMessages(int limit) {
		return this.store.dead(limit);
	}

	/**
	 * How many messages are parked as dead.
	 */
	public long deadCount() {
		return this.store.deadCount();
	}

	/**
	 * Gives a dead message a new round of attempts; false if no dead message has that id.
	 */
	public boolean retry(String messageId) {
		boolean retried = this.store.retry(messageId);
		if (retried) {
			this.wakeRelay.run();
		}
		return retried;
	}

	/**
	 * Deletes a dead message unsent, which lets the later messages of its key go; false if
	 * no dead message has that id.
	 */
	public boolean discard(String messageId) {
		boolean discarded = this.store.discard(messageId);
		if (discarded) {
			this.wakeRelay.run();
		}
		return discarded;
	}

	private byte[] bytes(Object payload) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		return this.jsonMapper.writeValueAsBytes(payload);
	}

}
