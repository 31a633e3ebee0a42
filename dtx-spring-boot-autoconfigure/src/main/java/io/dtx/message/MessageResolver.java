package io.dtx.message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.dtx.core.Backoff;
import io.dtx.core.DtxHeaders;
import io.dtx.core.ErrorText;
import io.dtx.outbox.RecordHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Resolves half messages: delivers each committed one to its topic, drops each rolled-back
 * one, and checks back on those whose decision has not come after {@code check-after}.
 * Any number of instances share the half topic's partitions as one consumer group.
 * <p>
 * Everything it knows is in Kafka. Each delivery is written in a Kafka transaction with a
 * {@code DONE} mark in the half message's partition and the group's offset, which stays
 * at the earliest half message not yet done: after a crash or a rebalance, the partition is
 * read again from there, and only once it has been read to its end as it was when assigned
 * is anything delivered, so a message marked done is never delivered again. Consumers of
 * the target topics read with {@code isolation.level=read_committed}, so a delivery whose
 * transaction was aborted by a crash is never seen.
 */
public class MessageResolver implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(MessageResolver.class);

	private final Map<String, Object> consumerProperties;

	private final Map<String, Object> producerProperties;

	private final Settings settings;

	private final @Nullable CheckBackClient checkBack;

	private final Clock clock;

	private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();

	// counted by the resolving thread after each poll: the partitions' own maps are its alone
	private volatile int pendingCount;

	// written by the resolving thread, read by operators
	private final Map<String, ParkedMessage> parked = new ConcurrentHashMap<>();

	// ids an operator asked to check back again, taken up by the resolving thread
	private final Queue<String> retries = new ConcurrentLinkedQueue<>();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder checks = new LongAdder();

	private volatile boolean running;

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private @Nullable Thread thread;

	public MessageResolver(Map<String, Object> consumerProperties, Map<String, Object> producerProperties, Settings settings,
			@Nullable CheckBackClient checkBack, Clock clock) {
		this.consumerProperties = consumerProperties;
		this.producerProperties = producerProperties;
		this.settings = settings;
		this.checkBack = checkBack;
		this.clock = clock;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		// not a daemon: like a listener container's, it keeps a service that only resolves running
		Thread resolving = new Thread(this::resolve, "dtx-messages-resolver");
		resolving.start();
		this.thread = resolving;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		KafkaConsumer<String, byte[]> current = this.consumer;
		if (current != null) {
			current.wakeup();
		}
		Thread resolving = this.thread;
		if (resolving != null) {
			// out of a pause between two sessions, if it is in one
			LockSupport.unpark(resolving);
			try {
				resolving.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * How many half messages of the partitions assigned here wait for their outcome.
	 */
	public int pending() {
		return this.pendingCount;
	}

	/**
	 * How many committed messages this instance delivered since it started.
	 */
	public long delivered() {
		return this.delivered.sum();
	}

	/**
	 * How many rolled-back messages this instance dropped since it started.
	 */
	public long dropped() {
		return this.dropped.sum();
	}

	/**
	 * How many check-backs this instance sent since it started, failed ones included.
	 */
	public long checks() {
		return this.checks.sum();
	}

	/**
	 * The half messages whose check-backs ran out ({@code max-checks}) in the partitions
	 * assigned here, oldest first, at most {@code limit}. They hold back nothing but
	 * themselves, and stay until retried: the resolver cannot tell their outcome.
	 */
	public List<ParkedMessage> parked(int limit) {
		return this.parked.values()
			.stream()
			.sorted(Comparator.comparing(ParkedMessage::sentAt))
			.limit(limit)
			.toList();
	}

	/**
	 * How many half messages are parked here.
	 */
	public int parkedCount() {
		return this.parked.size();
	}

	/**
	 * Checks back on a parked message again, with a new round of {@code max-checks};
	 * false where none of that id is parked here.
	 */
	public boolean retry(String messageId) {
		if (!this.parked.containsKey(messageId)) {
			return false;
		}
		this.retries.add(messageId);
		return true;
	}

	private void resolve() {
		int failures = 0;
		while (this.running) {
			try {
				session();
				failures = 0;
			}
			catch (WakeupException ex) {
				// stopping
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					return;
				}
				// new clients, after a pause: the partitions are read again from the committed offsets
				Duration pause = new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff()).delay(failures++);
				logger.warn("The messages' resolver failed and starts again in " + pause + ": " + ex, ex);
				LockSupport.parkNanos(pause.toNanos());
			}
		}
	}

	private void session() {
		this.partitions.clear();
		this.parked.clear();
		this.pendingCount = 0;
		try (KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(this.consumerProperties,
				new StringDeserializer(), new ByteArrayDeserializer());
				SessionProducer producer = new SessionProducer(this.producerProperties)) {
			this.consumer = kafkaConsumer;
			kafkaConsumer.subscribe(List.of(this.settings.halfTopic()), new Assignments(kafkaConsumer));
			while (this.running) {
				for (ConsumerRecord<String, byte[]> record : kafkaConsumer.poll(this.settings.pollTimeout())) {
					PartitionState state = this.partitions.get(new TopicPartition(record.topic(), record.partition()));
					if (state != null) {
						state.read(record);
					}
				}
				this.partitions.forEach((partition, state) -> state.position = kafkaConsumer.position(partition));
				takeRetries();
				checkBack();
				complete(kafkaConsumer, producer);
				this.pendingCount = this.partitions.values().stream().mapToInt((state) -> state.pending.size()).sum();
			}
		}
		finally {
			this.consumer = null;
		}
	}

	private void takeRetries() {
		for (String messageId = this.retries.poll(); messageId != null; messageId = this.retries.poll()) {
			for (PartitionState state : this.partitions.values()) {
				Pending pending = state.pending.get(messageId);
				if (pending != null) {
					pending.checks = 0;
					pending.nextCheckAt = Instant.MIN;
					this.parked.remove(messageId);
				}
			}
		}
	}

	// asks the producers of the half messages whose decision is overdue, where their partition was read to its end
	private void checkBack() {
		Instant now = this.clock.instant();
		Instant halfBefore = now.minus(this.settings.checkAfter());
		for (PartitionState state : this.partitions.values()) {
			if (!state.caughtUp()) {
				continue;
			}
			for (Pending pending : state.pending.values()) {
				if (pending.decision == null && pending.sentAt.isBefore(halfBefore) && !pending.nextCheckAt.isAfter(now)) {
					ask(pending, now);
				}
			}
		}
	}

	private void ask(Pending pending, Instant now) {
		String producer = RecordHeaders.text(pending.half, MessageRecords.PRODUCER);
		if (this.checkBack == null || producer == null) {
			pending.nextCheckAt = Instant.MAX;
			logger.warn("Half message " + pending.messageId + " has no decision and cannot be checked back ("
					+ ((producer == null) ? "it names no producer" : "no dtx.http.secret to sign with") + ")");
			return;
		}
		this.checks.increment();
		try {
			pending.decision = this.checkBack.ask(producer, pending.messageId);
		}
		catch (RuntimeException ex) {
			pending.checks++;
			if (pending.checks >= this.settings.maxChecks()) {
				pending.nextCheckAt = Instant.MAX;
				this.parked.put(pending.messageId, new ParkedMessage(pending.messageId,
						RecordHeaders.text(pending.half, MessageRecords.TOPIC),
						RecordHeaders.text(pending.half, MessageRecords.KEY), producer, pending.sentAt, pending.checks,
						ErrorText.of(ex)));
				logger.error("Half message " + pending.messageId + " is parked after " + pending.checks
						+ " failed check-backs at " + producer + " (retry it through the operations endpoint,"
						+ " parked-messages): " + ErrorText.of(ex));
				return;
			}
			Duration delay = new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff())
				.delay(pending.checks - 1);
			pending.nextCheckAt = now.plus(delay);
			logger.warn("Check-back " + pending.checks + " of half message " + pending.messageId + " at " + producer
					+ " failed, next in " + delay + ": " + ErrorText.of(ex));
		}
	}

	// one Kafka transaction: the deliveries, their DONE marks, and the offsets
	private void complete(KafkaConsumer<String, byte[]> kafkaConsumer, SessionProducer sessionProducer) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		Map<PartitionState, List<Pending>> done = new HashMap<>();
		this.partitions.forEach((partition, state) -> {
			if (!state.caughtUp()) {
				return;
			}
			List<Pending> decided = state.pending.values().stream().filter((pending) -> pending.decision != null).toList();
			long offset = state.pending.values()
				.stream()
				.filter((pending) -> pending.decision == null)
				.mapToLong((pending) -> pending.half.offset())
				.min()
				.orElse(state.position);
			if (!decided.isEmpty() || offset != state.committed) {
				done.put(state, decided);
				offsets.put(partition, new OffsetAndMetadata(offset));
			}
		});
		if (offsets.isEmpty()) {
			return;
		}
		// a failure ends the session, whose producer aborts this transaction when it closes: its
		// partitions are read again from the offsets committed before, and done then
		KafkaProducer<String, byte[]> producer = sessionProducer.get();
		producer.beginTransaction();
		done.forEach((state, decided) -> decided.forEach((pending) -> {
			if (pending.decision == MessageState.COMMITTED) {
				producer.send(MessageRecords.delivery(pending.half));
			}
			producer.send(MessageRecords.done(pending.half, pending.messageId));
		}));
		producer.sendOffsetsToTransaction(offsets, kafkaConsumer.groupMetadata());
		producer.commitTransaction();
		done.forEach((state, decided) -> {
			decided.forEach((pending) -> {
				state.pending.remove(pending.messageId);
				((pending.decision == MessageState.COMMITTED) ? this.delivered : this.dropped).increment();
			});
			state.committed = offsets.get(state.partition).offset();
		});
	}

	/**
	 * Starts each assigned partition from its committed offset with nothing known, and
	 * notes where its end was: nothing is delivered before it was read that far.
	 */
	private final class Assignments implements ConsumerRebalanceListener {

		private final KafkaConsumer<String, byte[]> kafkaConsumer;

		Assignments(KafkaConsumer<String, byte[]> kafkaConsumer) {
			this.kafkaConsumer = kafkaConsumer;
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
			Map<TopicPartition, Long> ends = this.kafkaConsumer.endOffsets(assigned);
			for (TopicPartition partition : assigned) {
				long position = this.kafkaConsumer.position(partition);
				MessageResolver.this.partitions.put(partition, new PartitionState(partition, ends.get(partition), position));
			}
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
			for (TopicPartition partition : revoked) {
				PartitionState state = MessageResolver.this.partitions.remove(partition);
				if (state != null) {
					state.pending.keySet().forEach(MessageResolver.this.parked::remove);
				}
			}
		}

	}

	/**
	 * What is known of one assigned partition.
	 */
	private static final class PartitionState {

		final TopicPartition partition;

		final long end;

		long position;

		long committed;

		// by message id, in the order of their half messages
		final Map<String, Pending> pending = new LinkedHashMap<>();

		PartitionState(TopicPartition partition, long end, long position) {
			this.partition = partition;
			this.end = end;
			this.position = position;
			this.committed = position;
		}

		boolean caughtUp() {
			return this.position >= this.end;
		}

		void read(ConsumerRecord<String, byte[]> record) {
			String messageId = RecordHeaders.text(record, DtxHeaders.MESSAGE_ID);
			String kind = RecordHeaders.text(record, MessageRecords.KIND);
			if (messageId == null || kind == null) {
				logger.warn("Skipped record " + record.offset() + " of " + this.partition + ": not a half message's");
				return;
			}
			switch (kind) {
				case MessageRecords.HALF -> {
					if (RecordHeaders.text(record, MessageRecords.TOPIC) != null) {
						this.pending.putIfAbsent(messageId, new Pending(messageId, record));
					}
				}
				case MessageRecords.COMMIT, MessageRecords.ROLLBACK -> {
					Pending pending = this.pending.get(messageId);
					if (pending != null && pending.decision == null) {
						pending.decision = kind.equals(MessageRecords.COMMIT) ? MessageState.COMMITTED
								: MessageState.ROLLED_BACK;
					}
				}
				case MessageRecords.DONE -> this.pending.remove(messageId);
				default -> logger.warn("Skipped record " + record.offset() + " of " + this.partition + ": kind " + kind);
			}
		}

	}

	/**
	 * A half message whose outcome is not done yet.
	 */
	private static final class Pending {

		final String messageId;

		final ConsumerRecord<String, byte[]> half;

		final Instant sentAt;

		@Nullable MessageState decision;

		int checks;

		Instant nextCheckAt = Instant.MIN;

		Pending(String messageId, ConsumerRecord<String, byte[]> half) {
			this.messageId = messageId;
			this.half = half;
			this.sentAt = Instant.ofEpochMilli(half.timestamp());
		}

	}

	/**
	 * A session's transactional producer, begun when there is first something to deliver:
	 * until the consumer is assigned partitions there is not, so a resolver whose broker is
	 * away waits only in its consumer's poll, which {@link #stop()} wakes at once.
	 */
	private static final class SessionProducer implements AutoCloseable {

		private final Map<String, Object> properties;

		private @Nullable KafkaProducer<String, byte[]> producer;

		SessionProducer(Map<String, Object> properties) {
			this.properties = properties;
		}

		KafkaProducer<String, byte[]> get() {
			KafkaProducer<String, byte[]> current = this.producer;
			if (current == null) {
				current = new KafkaProducer<>(this.properties, new StringSerializer(), new ByteArraySerializer());
				this.producer = current;
				current.initTransactions();
			}
			return current;
		}

		@Override
		public void close() {
			if (this.producer != null) {
				this.producer.close();
			}
		}

	}

	/**
	 * How the resolver runs.
	 *
	 * @param halfTopic the topic of half messages and decisions
	 * @param checkAfter how long a half message waits for its decision before its producer
	 * is asked
	 * @param initialBackoff delay before the second check-back of a message, and before the
	 * resolver starts again after a failure; it doubles each time
	 * @param maxBackoff longest such delay
	 * @param pollTimeout longest wait for records in one poll
	 * @param maxChecks failed check-backs of a message before it is parked
	 */
	public record Settings(String halfTopic, Duration checkAfter, Duration initialBackoff, Duration maxBackoff,
			Duration pollTimeout, int maxChecks) {

	}

}
