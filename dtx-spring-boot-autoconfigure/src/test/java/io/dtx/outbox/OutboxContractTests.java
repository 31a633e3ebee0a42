package io.dtx.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The outbox, its relay and the inbox against a real database and the in-process broker:
 * what commits is sent, what rolls back never is, in order per key, with dtx's headers;
 * a message that keeps failing is parked without holding up other keys; retention,
 * metrics and the inbox's duplicate check. One subclass per database vendor.
 */
abstract class OutboxContractTests extends OutboxTestSupport {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Override
	List<String> properties() {
		List<String> properties = super.properties();
		properties.addAll(List.of("dtx.outbox.send-timeout=5s", "dtx.outbox.initial-backoff=50ms",
				"dtx.outbox.max-backoff=200ms"));
		return properties;
	}

	@Test
	void committedMessageReachesKafkaAndRolledBackOneNever() {
		String topic = topic();
		contextRunner().run((context) -> {
			Outbox outbox = context.getBean(Outbox.class);
			TransactionTemplate transaction = transaction(context);
			transaction.executeWithoutResult((status) -> {
				outbox.publish(topic, "order-1", "rolled back");
				status.setRollbackOnly();
			});
			transaction.executeWithoutResult((status) -> outbox.publish(topic, "order-1", "committed"));
			// one key, one partition: the rolled-back message would come first if it came at all
			List<ConsumerRecord<String, String>> records = broker.consume(topic, 1, TIMEOUT);
			assertThat(records).extracting(ConsumerRecord::value).containsExactly("committed");
			assertThat(jdbc(context).queryForList("select state from dtx_outbox", String.class))
				.containsExactly("SENT");
		});
	}

	@Test
	void publishOutsideATransactionFailsClearly() {
		contextRunner().run((context) -> assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> context.getBean(Outbox.class).publish("orders", "order-1", "payload"))
			.withMessageContaining("needs an active transaction"));
	}

	@Test
	void messagesOfEachKeyArriveInOrderWithTheirHeaders() {
		String topic = topic();
		contextRunner().run((context) -> {
			Outbox outbox = context.getBean(Outbox.class);
			TransactionTemplate transaction = transaction(context);
			GlobalTransaction global = new GlobalTransaction(GlobalTransaction.newXid(), "SAGA",
					"place-order", Instant.now().plusSeconds(60));
			GlobalTransactionContext.bind(global);
			try {
				for (int i = 0; i < 20; i++) {
					int sequence = i;
					transaction.executeWithoutResult((status) -> {
						for (String key : List.of("a", "b", "c")) {
							outbox.publish(topic, key, Map.of("key", key, "sequence", sequence),
									Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
						}
					});
				}
			}
			finally {
				GlobalTransactionContext.clear();
			}
			List<ConsumerRecord<String, String>> records = broker.consume(topic, 60, TIMEOUT);
			assertThat(records).hasSize(60);
			Map<String, List<String>> byKey = new LinkedHashMap<>();
			records.forEach((record) -> byKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
				.add(record.value()));
			for (String key : List.of("a", "b", "c")) {
				assertThat(byKey.get(key)).hasSize(20);
				for (int i = 0; i < 20; i++) {
					assertThat(byKey.get(key).get(i)).contains("\"sequence\":" + i + "");
				}
			}
			ConsumerRecord<String, String> first = records.get(0);
			assertThat(KafkaBroker.header(first, DtxHeaders.MESSAGE_ID)).hasSize(36);
			assertThat(KafkaBroker.header(first, DtxHeaders.XID)).isEqualTo(global.xid());
			assertThat(KafkaBroker.header(first, DtxHeaders.MODE)).isEqualTo("SAGA");
			assertThat(KafkaBroker.header(first, "traceparent")).startsWith("00-0af7651916cd43dd");
			assertThat(records.stream().map((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID)).distinct())
				.hasSize(60);
		});
	}

	@Test
	void aMessageThatKeepsFailingIsParkedAndHoldsBackOnlyItsOwnKey() {
		String topic = topic();
		// the relay's producer refuses records above 2,000 bytes: a failure of the message itself
		contextRunner().withPropertyValues("dtx.outbox.producer.max.request.size=2000", "dtx.outbox.max-attempts=3")
			.run((context) -> {
				Outbox outbox = context.getBean(Outbox.class);
				TransactionTemplate transaction = transaction(context);
				String tooLarge = transaction.execute((status) -> outbox.publish(topic, "poisoned", "x".repeat(5000)));
				transaction.executeWithoutResult((status) -> outbox.publish(topic, "poisoned", "after"));
				transaction.executeWithoutResult((status) -> outbox.publish(topic, "healthy", "other key"));
				assertThat(broker.consume(topic, 1, TIMEOUT)).extracting(ConsumerRecord::value)
					.containsExactly("other key");
				await().atMost(TIMEOUT).until(() -> !outbox.deadMessages(10).isEmpty());
				DeadMessage dead = outbox.deadMessages(10).get(0);
				assertThat(dead.messageId()).isEqualTo(tooLarge);
				assertThat(dead.attempts()).isEqualTo(3);
				assertThat(dead.lastError()).contains("RecordTooLargeException");
				assertThat(jdbc(context).queryForList("select state from dtx_outbox where message_key = 'poisoned' "
						+ "order by id", String.class))
					.as("the later message of the key waits behind the dead one")
					.containsExactly("DEAD", "PENDING");

				assertThat(outbox.retry(tooLarge)).isTrue();
				await().atMost(TIMEOUT)
					.until(() -> outbox.deadMessages(10).size() == 1 && outbox.deadMessages(10).get(0).attempts() == 3);
				assertThat(outbox.discard(tooLarge)).isTrue();
				assertThat(outbox.discard(tooLarge)).isFalse();
				assertThat(broker.consume(topic, 2, TIMEOUT)).extracting(ConsumerRecord::value)
					.containsExactly("other key", "after");
			});
	}

	@Test
	void retentionDeletesSentMessagesAndOldInboxEntriesOnly() {
		String topic = topic();
		contextRunner().withPropertyValues("dtx.outbox.keep-sent=0s", "dtx.outbox.keep-received=1h").run((context) -> {
			Outbox outbox = context.getBean(Outbox.class);
			transaction(context).executeWithoutResult((status) -> outbox.publish(topic, "k", "sent"));
			broker.consume(topic, 1, TIMEOUT);
			await().atMost(TIMEOUT).until(() -> count(context, "dtx_outbox where state = 'SENT'") == 1);
			context.getBean(OutboxRelay.class).stop();
			transaction(context).executeWithoutResult((status) -> outbox.publish(topic, "k", "pending"));
			context.getBean(Inbox.class).receive("billing", "m-1", () -> {
			});
			assertThat(context.getBean(OutboxRetention.class).deleteExpired()).isEqualTo(1);
			assertThat(jdbc(context).queryForList("select state from dtx_outbox", String.class))
				.containsExactly("PENDING");
			assertThat(count(context, "dtx_inbox")).isOne();
		});
	}

	@Test
	void metricsCountSentMessagesAndShowTheBacklog() {
		String topic = topic();
		contextRunner().withPropertyValues("dtx.outbox.relay-enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(OutboxRelay.class);
			transaction(context).executeWithoutResult((status) -> {
				context.getBean(Outbox.class).publish(topic, "k", "one");
				context.getBean(Outbox.class).publish(topic, "k", "two");
			});
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("dtx.outbox.pending").gauge().value()).isEqualTo(2);
			assertThat(registry.get("dtx.outbox.oldest.age").timeGauge().value()).isGreaterThanOrEqualTo(0);
		});
		contextRunner().run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("dtx.outbox.sent").counter().count() == 2);
			assertThat(broker.consume(topic, 2, TIMEOUT)).extracting(ConsumerRecord::value)
				.containsExactly("one", "two");
		});
	}

	@Test
	void theInboxAppliesEachMessageOnceInTheTransactionOfItsEffect() {
		contextRunner().run((context) -> {
			Inbox inbox = context.getBean(Inbox.class);
			JdbcTemplate jdbc = jdbc(context);
			jdbc.execute("create table ledger (entry varchar(20))");
			AtomicInteger applied = new AtomicInteger();
			Runnable effect = () -> {
				applied.incrementAndGet();
				jdbc.update("insert into ledger values ('charge')");
			};
			// an effect that fails rolls its inbox entry back with it: the redelivery applies it
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> inbox.receive("billing", "m-1",
					() -> {
						effect.run();
						throw new IllegalStateException("payment provider down");
					}));
			assertThat(inbox.receive("billing", "m-1", effect)).isTrue();
			assertThat(inbox.receive("billing", "m-1", effect)).isFalse();
			assertThat(inbox.receive("shipping", "m-1", effect)).as("another consumer applies it too").isTrue();
			assertThat(applied).hasValue(3);
			assertThat(count(context, "ledger")).isEqualTo(2);
			assertThat(count(context, "dtx_inbox")).isEqualTo(2);
		});
	}

	static String topic() {
		return topic(3);
	}

	static int count(AssertableApplicationContext context, String from) {
		return jdbc(context).queryForObject("select count(*) from " + from, Integer.class);
	}

}
