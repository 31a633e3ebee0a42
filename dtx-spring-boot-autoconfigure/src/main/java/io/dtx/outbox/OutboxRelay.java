package io.dtx.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox to Kafka. One thread per instance takes a batch of due rows in a
 * transaction that locks the buckets of their keys, sends them through an idempotent
 * producer, and marks those the broker acknowledged, so that no other relay sends a key
 * of those buckets meanwhile: any number of instances keep the order per key. A commit
 * of {@link Outbox#publish} wakes it at once; otherwise it looks every
 * {@code poll-interval}.
 * <p>
 * A failed send is tried again after a backoff that doubles with each attempt; the
 * message is parked as dead after {@code max-attempts}. Later messages of its key wait
 * behind it, those of other keys go on. A message may be sent twice (a crash between the
 * acknowledgement and the commit of its mark): consumers drop the second through the
 * {@link Inbox}.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
	};

	private final OutboxStore store;

	private final TransactionTemplate transaction;

	private final Supplier<Producer<String, byte[]>> producerFactory;

	private final JsonMapper jsonMapper;

	private final Settings settings;

	private final Semaphore wake = new Semaphore(0);

	private volatile RelayObserver observer = RelayObserver.NONE;

	private volatile @Nullable Producer<String, byte[]> producer;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	public OutboxRelay(OutboxStore store, PlatformTransactionManager transactionManager,
			Supplier<Producer<String, byte[]>> producerFactory, JsonMapper jsonMapper, Settings settings) {
		this.store = store;
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.producerFactory = producerFactory;
		this.jsonMapper = jsonMapper;
		this.settings = settings;
	}

	public void setObserver(RelayObserver observer) {
		this.observer = observer;
	}

	/**
	 * Makes the relay look for due rows now rather than at its next poll.
	 */
	public void wakeUp() {
		if (this.wake.availablePermits() == 0) {
			this.wake.release();
		}
	}

	/**
	 * One pass: sends a batch of due rows and records the outcome; returns how many rows
	 * it tried.
	 */
	public int relayOnce() {
		Integer tried = this.transaction.execute((status) -> {
			// half the buckets, from a random one on, so that other relays find work beside this one
			int first = ThreadLocalRandom.current().nextInt(OutboxStore.BUCKETS);
			List<OutboxStore.PendingMessage> batch = due(this.store.lockBuckets(first, OutboxStore.BUCKETS / 2));
			if (batch.isEmpty()) {
				batch = due(this.store.lockBuckets(first, OutboxStore.BUCKETS));
			}
			return batch.isEmpty() ? 0 : send(batch);
		});
		return (tried != null) ? tried : 0;
	}

	private List<OutboxStore.PendingMessage> due(List<Integer> buckets) {
		return buckets.isEmpty() ? List.of() : this.store.due(buckets, this.settings.batchSize());
	}

	private int send(List<OutboxStore.PendingMessage> batch) {
		Producer<String, byte[]> producer = producer();
		List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
		for (OutboxStore.PendingMessage message : batch) {
			Future<RecordMetadata> ack = producer.send(record(message));
			acks.add(ack);
			if (ack.isDone() && failure(ack) != null) {
				// the broker is out of reach (no metadata): the rest would wait as long, each
				break;
			}
		}
		producer.flush();
		List<Long> sent = new ArrayList<>(acks.size());
		int dead = 0;
		for (int i = 0; i < acks.size(); i++) {
			OutboxStore.PendingMessage message = batch.get(i);
			Throwable failure = failure(acks.get(i));
			if (failure == null) {
				sent.add(message.id());
			}
			else if (recordFailure(message, failure)) {
				dead++;
			}
		}
		if (!sent.isEmpty()) {
			this.store.markSent(sent);
		}
		this.observer.sent(sent.size());
		if (sent.size() < acks.size()) {
			this.observer.failed(acks.size() - sent.size(), dead);
		}
		return acks.size();
	}

	// true where the message is now dead
	private boolean recordFailure(OutboxStore.PendingMessage message, Throwable failure) {
		int attempts = message.attempts() + 1;
		String error = failure.toString();
		if (attempts >= this.settings.maxAttempts()) {
			logger.error("Outbox message " + message.messageId() + " to " + message.topic() + " is dead after "
					+ attempts + " attempts; later messages of key " + message.key() + " wait behind it: " + error);
			this.store.markDead(message.id(), attempts, error);
			return true;
		}
		logger.debug("Outbox message " + message.messageId() + " failed attempt " + attempts + ": " + error);
		this.store.markFailed(message.id(), attempts, this.store.instant().plus(backoff(attempts)), error);
		return false;
	}

	Duration backoff(int attempts) {
		Duration backoff = this.settings.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
		return (backoff.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : backoff;
	}

	private ProducerRecord<String, byte[]> record(OutboxStore.PendingMessage message) {
		RecordHeaders headers = new RecordHeaders();
		this.jsonMapper.readValue(message.headers(), HEADERS)
			.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
		return new ProducerRecord<>(message.topic(), null, message.key(), message.payload(), headers);
	}

	private @Nullable Throwable failure(Future<RecordMetadata> ack) {
		try {
			ack.get(this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (TimeoutException ex) {
			return ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
	}

	private Producer<String, byte[]> producer() {
		Producer<String, byte[]> producer = this.producer;
		if (producer == null) {
			producer = this.producerFactory.get();
			this.producer = producer;
		}
		return producer;
	}

	private void run() {
		while (this.running) {
			int tried = 0;
			try {
				tried = relayOnce();
			}
			catch (RuntimeException ex) {
				logger.warn("Outbox relay pass failed, the next one tries again: " + ex, ex);
			}
			if (tried == 0) {
				awaitWork();
			}
		}
	}

	private void awaitWork() {
		try {
			if (this.wake.tryAcquire(this.settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
				this.wake.drainPermits();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::run, "dtx-outbox-relay");
		thread.setDaemon(true);
		this.thread = thread;
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			wakeUp();
			try {
				thread.join(this.settings.sendTimeout().toMillis() * 2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.thread = null;
		}
		Producer<String, byte[]> producer = this.producer;
		if (producer != null) {
			producer.close(Duration.ofSeconds(5));
			this.producer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * How the relay works.
	 *
	 * @param batchSize most rows one pass sends
	 * @param pollInterval time between two looks when no commit wakes it
	 * @param maxAttempts attempts at a message before it is parked as dead
	 * @param initialBackoff delay before the second attempt, doubled with each further one
	 * @param maxBackoff longest delay between two attempts
	 * @param sendTimeout how long a send may wait for the broker's acknowledgement
	 */
	public record Settings(int batchSize, Duration pollInterval, int maxAttempts, Duration initialBackoff,
			Duration maxBackoff, Duration sendTimeout) {

	}

}
