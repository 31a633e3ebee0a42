package io.dtx.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.dtx.core.Backoff;
import io.dtx.core.DtxObservations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox to Kafka. One thread per instance relays in passes. A pass locks, in
 * a transaction, the buckets of keys that no other relay holds, so that no other relay
 * sends a key of those buckets meanwhile: any number of instances keep the order per key.
 * Within its pass the relay streams: it sends what is due through an idempotent producer,
 * and reads again whenever a commit of {@link Outbox#publish} wakes it or acknowledgements
 * make room, without waiting for the earlier sends; it marks what the broker acknowledged
 * before each read and at the end. A pass ends when nothing is due or on its way, after
 * {@value #LONGEST_PASS_MILLIS} ms, or at a failure; its commit releases the buckets.
 * Without a wake-up the relay looks every {@code poll-interval}.
 * <p>
 * The relay takes its producer from its {@link ProducerFactory} when it first has a
 * message to send, so an instance with nothing to relay never connects to the broker,
 * and {@link #stop()} closes it.
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

	// how long one pass holds its buckets: the longer, the later its marks and the longer
	// other relays wait for those buckets
	static final long LONGEST_PASS_MILLIS = 500;

	private final OutboxStore store;

	private final TransactionTemplate transaction;

	private final ProducerFactory<String, byte[]> producerFactory;

	private final JsonMapper jsonMapper;

	private final Settings settings;

	// released by wake-ups and by the broker's acknowledgements: either gives the relay work
	private final Semaphore signal = new Semaphore(0);

	private final RelayObserver observer;

	private volatile @Nullable Producer<String, byte[]> producer;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	private final ObservationRegistry observations;

	public OutboxRelay(OutboxStore store, PlatformTransactionManager transactionManager,
			ProducerFactory<String, byte[]> producerFactory, JsonMapper jsonMapper, Settings settings,
			RelayObserver observer, ObservationRegistry observations) {
		this.store = store;
		this.transaction = new TransactionTemplate(transactionManager,
				new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW));
		this.producerFactory = producerFactory;
		this.jsonMapper = jsonMapper;
		this.settings = settings;
		this.observer = observer;
		this.observations = observations;
	}

	/**
	 * Makes the relay look for due rows now rather than at its next poll.
	 */
	public void wakeUp() {
		if (this.signal.availablePermits() == 0) {
			this.signal.release();
		}
	}

	/**
	 * One pass: sends what is due in the buckets no other relay holds, until nothing is
	 * due or on its way, and records the outcome; returns how many rows it tried.
	 */
	int relayOnce() {
		Integer tried = this.transaction.execute((status) -> {
			this.store.relaxCommit();
			List<Integer> buckets = this.store.lockBuckets();
			return buckets.isEmpty() ? 0 : new Pass(buckets).run();
		});
		return (tried != null) ? tried : 0;
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
		return new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff()).delay(attempts - 1);
	}

	private ProducerRecord<String, byte[]> record(OutboxStore.PendingMessage message) {
		RecordHeaders headers = new RecordHeaders();
		this.jsonMapper.readValue(message.headers(), HEADERS)
			.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
		return new ProducerRecord<>(message.topic(), null, message.key(), message.payload(), headers);
	}

	// on the first message to send: a relay with nothing to send opens no connection
	private Producer<String, byte[]> producer() {
		Producer<String, byte[]> producer = this.producer;
		if (producer == null) {
			producer = this.producerFactory.createProducer();
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
		awaitSignal(this.settings.pollInterval().toMillis());
	}

	// false when the wait ran out
	private boolean awaitSignal(long millis) {
		try {
			if (this.signal.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
				this.signal.drainPermits();
				return true;
			}
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
			return false;
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
		closeProducer();
	}

	private void closeProducer() {
		Producer<String, byte[]> producer = this.producer;
		this.producer = null;
		if (producer != null) {
			// closing hands the producer back to its factory, which closes it or keeps it as
			// it was made to (a DefaultKafkaProducerFactory keeps its one shared producer
			// open); the reset closes what the factory keeps, its network thread with it, and
			// the factory makes a new producer if the relay starts again
			producer.close(this.producerFactory.getPhysicalCloseTimeout());
			this.producerFactory.reset();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * One pass over the buckets it locked, in the transaction that holds them.
	 */
	private final class Pass {

		private final List<Integer> buckets;

		// read once: within the pass only its own failures could hold a key, and they end it
		private final boolean held;

		private final long readUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONGEST_PASS_MILLIS);

		private final Deque<Send> onTheirWay = new ArrayDeque<>();

		private final List<Long> acknowledged = new ArrayList<>();

		private boolean reading = true;

		private long lastRead;

		private int tried;

		// started by the first send: a pass that finds nothing due is not observed
		private @Nullable Observation observation;

		Pass(List<Integer> buckets) {
			this.buckets = buckets;
			this.held = OutboxRelay.this.store.anyHeld();
		}

		int run() {
			try {
				return sendAndSettle();
			}
			finally {
				if (this.observation != null) {
					this.observation.highCardinalityKeyValue("dtx.messages", Integer.toString(this.tried)).stop();
				}
			}
		}

		private int sendAndSettle() {
			readAndSend();
			long sendTimeout = OutboxRelay.this.settings.sendTimeout().toNanos();
			long linger = OutboxRelay.this.settings.linger().toMillis();
			while (!this.onTheirWay.isEmpty()) {
				// while reading, look again after the linger even if no acknowledgement comes
				awaitSignal(this.reading ? Math.max(1, linger) : OutboxRelay.this.settings.sendTimeout().toMillis());
				if (System.nanoTime() - this.onTheirWay.getFirst().startedAt > 2 * sendTimeout) {
					// the producer reports every send within its delivery timeout: these are lost
					abandonSends();
				}
				settle();
				if (!OutboxRelay.this.running) {
					this.reading = false;
				}
				if (this.onTheirWay.size() <= OutboxRelay.this.settings.batchSize() / 2
						&& System.nanoTime() - this.lastRead >= TimeUnit.MILLISECONDS.toNanos(linger)) {
					readAndSend();
				}
			}
			markAcknowledged();
			return this.tried;
		}

		private void readAndSend() {
			if (System.nanoTime() - this.readUntil > 0) {
				this.reading = false;
			}
			int wanted = OutboxRelay.this.settings.batchSize() - this.onTheirWay.size();
			if (!this.reading || wanted <= 0) {
				return;
			}
			this.lastRead = System.nanoTime();
			// before the read, which then does not meet them again
			markAcknowledged();
			// from the oldest row on, past those on their way: a transaction that took its id
			// before the last row read may have committed since
			Set<Long> unanswered = new HashSet<>();
			this.onTheirWay.forEach((send) -> unanswered.add(send.message.id()));
			List<OutboxStore.PendingMessage> due = OutboxRelay.this.store.due(this.buckets, this.held,
					wanted + unanswered.size());
			for (OutboxStore.PendingMessage message : due) {
				if (unanswered.contains(message.id())) {
					continue;
				}
				if (this.observation == null) {
					this.observation = DtxObservations.relaySend(OutboxRelay.this.observations).start();
				}
				Send send = new Send(message);
				this.onTheirWay.add(send);
				this.tried++;
				send.start(producer());
				if (send.failure != null) {
					// refused at once (no metadata within the timeout): the rest would wait as long
					this.reading = false;
					break;
				}
			}
		}

		// takes in what the broker answered, in the order of the sends
		private void settle() {
			int failed = 0;
			int dead = 0;
			for (Iterator<Send> sends = this.onTheirWay.iterator(); sends.hasNext();) {
				Send send = sends.next();
				if (!send.done) {
					continue;
				}
				sends.remove();
				Throwable failure = send.failure;
				if (failure == null) {
					this.acknowledged.add(send.message.id());
					continue;
				}
				// later messages of its key must not overtake it: the pass sends nothing more
				this.reading = false;
				failed++;
				if (recordFailure(send.message, failure)) {
					dead++;
				}
			}
			if (failed > 0) {
				OutboxRelay.this.observer.failed(failed, dead);
			}
		}

		private void abandonSends() {
			for (Send send : this.onTheirWay) {
				send.complete(new TimeoutException("no answer from the producer"));
			}
		}

		private void markAcknowledged() {
			if (!this.acknowledged.isEmpty()) {
				OutboxRelay.this.store.markSent(this.acknowledged);
				OutboxRelay.this.observer.sent(this.acknowledged.size());
				this.acknowledged.clear();
			}
		}

	}

	/**
	 * One message on its way to the broker, completed by the producer's callback.
	 */
	private final class Send implements Callback {

		private final OutboxStore.PendingMessage message;

		private final long startedAt = System.nanoTime();

		private volatile boolean done;

		private volatile @Nullable Throwable failure;

		Send(OutboxStore.PendingMessage message) {
			this.message = message;
		}

		void start(Producer<String, byte[]> producer) {
			try {
				producer.send(record(this.message), this);
			}
			catch (KafkaException ex) {
				complete(ex);
			}
		}

		@Override
		public void onCompletion(RecordMetadata metadata, @Nullable Exception exception) {
			complete(exception);
		}

		synchronized void complete(@Nullable Throwable failure) {
			if (!this.done) {
				this.failure = failure;
				this.done = true;
				wakeUp();
			}
		}

	}

	/**
	 * How the relay works.
	 *
	 * @param batchSize most rows one read of the outbox takes, and most messages on
	 * their way to the broker at once
	 * @param pollInterval time between two looks when no commit wakes it
	 * @param maxAttempts attempts at a message before it is parked as dead
	 * @param initialBackoff delay before the second attempt, doubled with each further one
	 * @param maxBackoff longest delay between two attempts
	 * @param sendTimeout how long a send may wait for the broker's acknowledgement
	 * @param linger least time between two reads of the outbox while messages are on
	 * their way to the broker
	 */
	public record Settings(int batchSize, Duration pollInterval, int maxAttempts, Duration initialBackoff,
			Duration maxBackoff, Duration sendTimeout, Duration linger) {

	}

}
