package io.dtx.message;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxMessagesAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.core.DtxHeaders;
import io.dtx.test.KafkaBroker;
import io.dtx.test.Ports;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Transactional messages against a real database and the in-process broker, on the
 * producing side: the half message before the local transaction, the barrier in it, the
 * decision after it, and the check-back's exact answer, racing a local transaction still
 * running. One subclass per database vendor.
 */
abstract class MessageContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	static KafkaBroker broker;

	private String[] database;

	private String halfTopic;

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@BeforeEach
	void prepare() {
		this.database = emptyDatabase();
		this.halfTopic = "half-" + UUID.randomUUID();
		broker.createTopic(this.halfTopic, 1);
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, KafkaAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxMessagesAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + this.database[0],
					"spring.datasource.username=" + this.database[1], "spring.datasource.password=" + this.database[2],
					"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
					"dtx.messages.half-topic=" + this.halfTopic, "dtx.http.self-url=http://payments:8080",
					// the producing side alone; the resolver's tests turn it on
					"dtx.messages.resolver.enabled=false");
	}

	@Test
	void aCommittedLocalTransactionIsFollowedByItsCommitDecision() {
		contextRunner().run((context) -> {
			createAccount(context);
			String id = messages(context).send("orders", "order-1", Map.of("order", "order-1", "amount", 30),
					Map.of("tenant", "acme"), () -> debit(context, 30));

			List<ConsumerRecord<String, String>> records = broker.consume(this.halfTopic, 2, TIMEOUT);
			ConsumerRecord<String, String> half = records.get(0);
			assertThat(KafkaBroker.header(half, MessageRecords.KIND)).isEqualTo("HALF");
			assertThat(KafkaBroker.header(half, DtxHeaders.MESSAGE_ID)).isEqualTo(id);
			assertThat(KafkaBroker.header(half, MessageRecords.TOPIC)).isEqualTo("orders");
			assertThat(KafkaBroker.header(half, MessageRecords.KEY)).isEqualTo("order-1");
			assertThat(KafkaBroker.header(half, MessageRecords.PRODUCER)).isEqualTo("http://payments:8080");
			assertThat(KafkaBroker.header(half, "tenant")).isEqualTo("acme");
			assertThat(half.value()).contains("\"order\":\"order-1\"").contains("\"amount\":30");
			ConsumerRecord<String, String> decision = records.get(1);
			assertThat(KafkaBroker.header(decision, MessageRecords.KIND)).isEqualTo("COMMIT");
			assertThat(KafkaBroker.header(decision, DtxHeaders.MESSAGE_ID)).isEqualTo(id);
			assertThat(decision.key()).as("in the partition of its half message").isEqualTo(half.key());
			assertThat(balance(context)).isEqualTo(70);
			assertThat(barriers(context)).containsExactly(id + " COMMITTED");
			assertThat(context.getBean(MessageBarrier.class).checkBack(id)).isEqualTo(MessageState.COMMITTED);
			assertThat(barriers(context)).as("a check-back changes nothing of a committed message")
				.containsExactly(id + " COMMITTED");
		});
	}

	@Test
	void aLocalTransactionThatThrowsIsRolledBackAndFollowedByItsRollbackDecision() {
		contextRunner().run((context) -> {
			createAccount(context);
			assertThatIllegalStateException().isThrownBy(() -> messages(context).send("orders", "order-1", "payload",
					() -> {
						debit(context, 30);
						throw new IllegalStateException("out of stock");
					})).withMessage("out of stock");

			List<ConsumerRecord<String, String>> records = broker.consume(this.halfTopic, 2, TIMEOUT);
			assertThat(records).extracting((record) -> KafkaBroker.header(record, MessageRecords.KIND))
				.containsExactly("HALF", "ROLLBACK");
			assertThat(balance(context)).isEqualTo(100);
			assertThat(barriers(context)).isEmpty();
		});
	}

	@Test
	void withinTheCallersTransactionTheDecisionFollowsItsOutcome() {
		contextRunner().run((context) -> {
			createAccount(context);
			TransactionTemplate caller = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			Integer rows = caller.execute((status) -> {
				Integer debited = messages(context).sendAndGet("orders", null, "payload", () -> debit(context, 30));
				status.setRollbackOnly();
				return debited;
			});
			assertThat(rows).as("what the local transaction returned").isEqualTo(1);

			List<ConsumerRecord<String, String>> records = broker.consume(this.halfTopic, 2, TIMEOUT);
			assertThat(records).extracting((record) -> KafkaBroker.header(record, MessageRecords.KIND))
				.containsExactly("HALF", "ROLLBACK");
			assertThat(KafkaBroker.header(records.get(0), MessageRecords.KEY)).as("a message without a key").isNull();
			assertThat(balance(context)).isEqualTo(100);
			assertThat(barriers(context)).isEmpty();
		});
	}

	@Test
	void aHalfMessageKafkaDoesNotAcknowledgeLeavesTheLocalTransactionUnrun() {
		contextRunner()
			.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:" + Ports.free(),
					"dtx.messages.send-timeout=1s")
			.run((context) -> {
				createAccount(context);
				AtomicBoolean ran = new AtomicBoolean();
				assertThatExceptionOfType(MessageNotSentException.class)
					.isThrownBy(() -> messages(context).send("orders", "order-1", "payload", () -> ran.set(true)))
					.withMessageContaining("its local transaction did not run");
				assertThat(ran).isFalse();
				assertThat(barriers(context)).isEmpty();
				assertThat(balance(context)).isEqualTo(100);
			});
	}

	@Test
	void aCheckBackBeforeTheBarrierRollsTheMessageBackForGood() {
		contextRunner().run((context) -> {
			createAccount(context);
			MessageBarrier barrier = context.getBean(MessageBarrier.class);
			String id = UUID.randomUUID().toString();
			assertThat(barrier.checkBack(id)).isEqualTo(MessageState.ROLLED_BACK);
			assertThat(barrier.checkBack(id)).as("asked again").isEqualTo(MessageState.ROLLED_BACK);
			// the producer's local transaction, late: it cannot commit what the resolver dropped
			TransactionTemplate local = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			assertThatExceptionOfType(MessageRolledBackException.class).isThrownBy(() -> local.executeWithoutResult((status) -> {
				debit(context, 30);
				barrier.enter(id);
			})).satisfies((ex) -> assertThat(ex.getMessageId()).isEqualTo(id));
			assertThat(balance(context)).isEqualTo(100);
			assertThat(barriers(context)).containsExactly(id + " ROLLED_BACK");
		});
	}

	@ParameterizedTest(name = "local transaction commits: {0}")
	@ValueSource(booleans = { true, false })
	void aCheckBackDuringTheLocalTransactionWaitsForItsEndAndAnswersItsOutcome(boolean commits) {
		contextRunner().run((context) -> {
			createAccount(context);
			CountDownLatch running = new CountDownLatch(1);
			CountDownLatch checkBackAsked = new CountDownLatch(1);
			CompletableFuture<Void> send = CompletableFuture.runAsync(() -> messages(context).send("orders", "order-1",
					"payload", () -> {
						debit(context, 30);
						running.countDown();
						await(checkBackAsked);
						if (!commits) {
							throw new IllegalStateException("rolled back");
						}
					}));
			// the half message is out before the local transaction runs: its id is known to the resolver
			String id = KafkaBroker.header(broker.consume(this.halfTopic, 1, TIMEOUT).get(0), DtxHeaders.MESSAGE_ID);
			// the local transaction holds its barrier, uncommitted: the check-back's insert waits
			// for its end, or (asked after it) reads what it left; either way the answer is its outcome
			await(running);
			CompletableFuture<MessageState> checkBack = CompletableFuture
				.supplyAsync(() -> context.getBean(MessageBarrier.class).checkBack(id));
			checkBackAsked.countDown();
			assertThat(checkBack.get(30, TimeUnit.SECONDS)).isEqualTo(commits ? MessageState.COMMITTED
					: MessageState.ROLLED_BACK);
			if (commits) {
				assertThat(send).succeedsWithin(TIMEOUT);
			}
			else {
				assertThat(send).failsWithin(TIMEOUT);
			}
			assertThat(balance(context)).isEqualTo(commits ? 70 : 100);
			assertThat(barriers(context)).containsExactly(id + (commits ? " COMMITTED" : " ROLLED_BACK"));
		});
	}

	@Test
	void retentionDeletesOnlyTheBarriersOlderThanItKeeps() {
		// run here, not on the scheduler, which would race the rows this test writes
		contextRunner().withPropertyValues("dtx.messages.retention-enabled=false").run((context) -> {
			createAccount(context);
			String recent = messages(context).send("orders", null, "payload", () -> debit(context, 1));
			jdbc(context).update("insert into dtx_message_barrier (message_id, state, created_at) values (?, ?, ?)", "old-1",
					"ROLLED_BACK", Timestamp.from(Instant.now().minus(Duration.ofHours(2))));
			MessageRetention retention = new MessageRetention(context.getBean(MessageBarrier.class),
					new ThreadPoolTaskScheduler(), Clock.systemUTC(), Duration.ofHours(1), Duration.ofHours(1));
			assertThat(retention.deleteExpired()).isOne();
			assertThat(barriers(context)).containsExactly(recent + " COMMITTED");
		});
	}

	@Test
	void onAHotRowWhatEachCallerHeardIsWhatWasDeliveredAndWhatTheRowHolds() throws Exception {
		String topic = "hot-" + UUID.randomUUID();
		broker.createTopic(topic, 2);
		contextRunner().withPropertyValues("dtx.messages.resolver.enabled=true", "dtx.messages.resolver.poll-timeout=100ms")
			.run((context) -> {
				createAccount(context);
				jdbc(context).update("update account set balance = 10000");
				TransactionalMessages messages = messages(context);
				ExecutorService callers = Executors.newFixedThreadPool(8);
				List<Future<String>> calls = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					boolean fails = i % 5 == 0;
					// every caller debits the one row: the sends queue on its lock, a fifth roll back
					calls.add(callers.submit(() -> messages.send(topic, "alice", Map.of("debit", 1), () -> {
						debit(context, 1);
						if (fails) {
							throw new IllegalStateException("refused");
						}
					})));
				}
				callers.shutdown();
				Set<String> heardCommitted = new HashSet<>();
				int heardRefused = 0;
				for (Future<String> call : calls) {
					try {
						heardCommitted.add(call.get(60, TimeUnit.SECONDS));
					}
					catch (ExecutionException ex) {
						assertThat(ex.getCause()).as("only the callers' own failure").hasMessage("refused");
						heardRefused++;
					}
				}
				assertThat(heardCommitted).hasSize(160);
				assertThat(heardRefused).isEqualTo(40);
				assertThat(balance(context)).isEqualTo(10000 - 160);
				assertThat(barriers(context)).hasSize(160)
					.allSatisfy((barrier) -> assertThat(heardCommitted).contains(barrier.split(" ")[0]));
				MessageResolver resolver = context.getBean(MessageResolver.class);
				Awaitility.await()
					.atMost(TIMEOUT)
					.until(() -> broker.consumeToEnd(topic, TIMEOUT).size() >= 160 && resolver.pending() == 0);
				assertThat(broker.consumeToEnd(topic, TIMEOUT))
					.extracting((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))
					.as("delivered: each committed one once, no other")
					.containsExactlyInAnyOrderElementsOf(heardCommitted);
			});
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static TransactionalMessages messages(AssertableApplicationContext context) {
		return context.getBean(TransactionalMessages.class);
	}

	static void createAccount(AssertableApplicationContext context) {
		jdbc(context).execute("create table account (id varchar(16) primary key, balance integer not null)");
		jdbc(context).update("insert into account (id, balance) values ('alice', 100)");
	}

	static int debit(AssertableApplicationContext context, int amount) {
		return jdbc(context).update("update account set balance = balance - ? where id = 'alice'", amount);
	}

	static int balance(AssertableApplicationContext context) {
		return jdbc(context).queryForObject("select balance from account where id = 'alice'", Integer.class);
	}

	static List<String> barriers(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select concat(message_id, ' ', state) from dtx_message_barrier",
				String.class);
	}

	static JdbcTemplate jdbc(AssertableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

}
