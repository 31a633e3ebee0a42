package io.dtx.message;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.dtx.outbox.ContextHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactional messages, RocketMQ's half messages on Kafka: a message reaches its topic if
 * and only if its local transaction commits, and only a small barrier row is written to
 * the database. Each send
 * <ol>
 * <li>writes the half message to the half-message topic and waits for Kafka's
 * acknowledgement ({@code acks=all}); where that fails, the local transaction never runs
 * and the caller gets {@link MessageNotSentException};</li>
 * <li>runs the local transaction (joining the caller's, where one is active) with the
 * message's barrier row inserted first;</li>
 * <li>once that transaction ended, sends the decision, commit or rollback, without waiting
 * for it. Where no decision arrives (a crash, an unknown commit outcome), the resolver
 * asks this service, whose barrier answers exactly.</li>
 * </ol>
 * The payload is written as JSON; the headers go to the delivered record as given, with
 * the current global transaction's and trace's, and {@code Dtx-Message-Id}.
 */
public class TransactionalMessages implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(TransactionalMessages.class);

	private final MessageBarrier barrier;

	private final TransactionTemplate transactions;

	private final KafkaTemplate<String, byte[]> kafka;

	private final JsonMapper jsonMapper;

	private final ContextHeaders contextHeaders;

	private final Settings settings;

	private final Supplier<String> producerUrl;

	/**
	 * @param kafka the template of dtx's own producer ({@code acks=all}), closed with this
	 * @param producerUrl the base URL at which the resolver checks back on this service
	 */
	public TransactionalMessages(MessageBarrier barrier, PlatformTransactionManager transactionManager,
			KafkaTemplate<String, byte[]> kafka, JsonMapper jsonMapper, ContextHeaders contextHeaders, Settings settings,
			Supplier<String> producerUrl) {
		this.barrier = barrier;
		this.transactions = new TransactionTemplate(transactionManager);
		this.kafka = kafka;
		this.jsonMapper = jsonMapper;
		this.contextHeaders = contextHeaders;
		this.settings = settings;
		this.producerUrl = producerUrl;
	}

	/**
	 * Sends {@code payload} to {@code topic} under {@code key} if and only if
	 * {@code localTransaction} commits; returns the message's id.
	 */
	public String send(String topic, @Nullable String key, Object payload, Runnable localTransaction) {
		return send(topic, key, payload, Map.of(), localTransaction);
	}

	/**
	 * The same, with headers for the delivered record.
	 */
	public String send(String topic, @Nullable String key, Object payload, Map<String, String> headers,
			Runnable localTransaction) {
		String messageId = newMessageId();
		run(messageId, topic, key, payload, headers, () -> {
			localTransaction.run();
			return null;
		});
		return messageId;
	}

	/**
	 * The same, returning what {@code localTransaction} returns.
	 */
	public <T> @Nullable T sendAndGet(String topic, @Nullable String key, Object payload,
			Supplier<T> localTransaction) {
		return run(newMessageId(), topic, key, payload, Map.of(), localTransaction);
	}

	private <T> @Nullable T run(String messageId, String topic, @Nullable String key, Object payload,
			Map<String, String> headers, Supplier<T> localTransaction) {
		Map<String, String> all = new LinkedHashMap<>(headers);
		this.contextHeaders.write(all::putIfAbsent);
		byte[] body = this.jsonMapper.writeValueAsBytes(payload);
		sendHalf(messageId, MessageRecords.half(this.settings.halfTopic(), messageId, topic, key, body, all,
				this.producerUrl.get()));
		return this.transactions.execute((status) -> {
			TransactionSynchronizationManager.registerSynchronization(new Decision(messageId, topic, key));
			this.barrier.enter(messageId);
			return localTransaction.get();
		});
	}

	private void sendHalf(String messageId, ProducerRecord<String, byte[]> half) {
		try {
			this.kafka.send(half).get(this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new MessageNotSentException(messageId, this.settings.halfTopic(), ex.getCause());
		}
		catch (TimeoutException | RuntimeException ex) {
			throw new MessageNotSentException(messageId, this.settings.halfTopic(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessageNotSentException(messageId, this.settings.halfTopic(), ex);
		}
	}

	private static String newMessageId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * Closes dtx's producer.
	 */
	@Override
	public void close() {
		this.kafka.getProducerFactory().reset();
	}

	/**
	 * Sends the decision once the local transaction ended: a commit or a rollback the
	 * database confirmed. An unknown outcome sends nothing, and the check-back answers.
	 */
	private final class Decision implements TransactionSynchronization {

		private final String messageId;

		private final String topic;

		private final @Nullable String key;

		Decision(String messageId, String topic, @Nullable String key) {
			this.messageId = messageId;
			this.topic = topic;
			this.key = key;
		}

		@Override
		public void afterCompletion(int status) {
			if (status == STATUS_UNKNOWN) {
				logger.warn("Transactional message " + this.messageId + ": the outcome of its local transaction is"
						+ " unknown; the resolver learns it by checking back");
				return;
			}
			boolean commit = status == STATUS_COMMITTED;
			try {
				TransactionalMessages.this.kafka
					.send(MessageRecords.decision(TransactionalMessages.this.settings.halfTopic(), this.messageId,
							this.topic, this.key, commit))
					.whenComplete((result, ex) -> {
						if (ex != null) {
							failed(commit, ex);
						}
					});
			}
			catch (RuntimeException ex) {
				failed(commit, ex);
			}
		}

		private void failed(boolean commit, Throwable ex) {
			logger.warn("Transactional message " + this.messageId + ": its decision (" + (commit ? "commit" : "rollback")
					+ ") was not sent (" + ex + "); the resolver learns it by checking back");
		}

	}

	/**
	 * How messages are sent.
	 *
	 * @param halfTopic the topic of half messages and decisions
	 * @param sendTimeout how long a half message may take to be acknowledged
	 */
	public record Settings(String halfTopic, Duration sendTimeout) {

	}

}
