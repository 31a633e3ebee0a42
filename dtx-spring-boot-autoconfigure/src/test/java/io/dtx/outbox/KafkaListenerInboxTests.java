package io.dtx.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxOutboxAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @KafkaListener} with {@link InboxListener} applies each message once, and the
 * context of a global transaction travels in the headers of records sent through Spring's
 * {@code KafkaTemplate} into the listener's logging MDC.
 */
class KafkaListenerInboxTests {

	private static final String TOPIC = "ledger-" + UUID.randomUUID();

	private static KafkaBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
		broker.createTopic(TOPIC, 1);
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, KafkaAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxOutboxAutoConfiguration.class))
		.withUserConfiguration(LedgerConfiguration.class)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
				"spring.kafka.consumer.auto-offset-reset=earliest", "dtx.recovery.enabled=false",
				"dtx.outbox.poll-interval=200ms", "ledger.topic=" + TOPIC);

	@Test
	void aListenerAppliesEachMessageOnceAndSeesTheTransactionItCameFrom() {
		this.contextRunner.run((context) -> {
			Ledger ledger = context.getBean(Ledger.class);
			Outbox outbox = context.getBean(Outbox.class);
			TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			transaction.executeWithoutResult((status) -> outbox.publish(TOPIC, "account-1", "credit 10"));
			assertThat(ledger.applied().poll(30, TimeUnit.SECONDS)).isEqualTo("credit 10 xid=none");

			// the same record again, as a relay that crashed before marking it would send it
			ConsumerRecord<String, String> sent = broker.consume(TOPIC, 1, Duration.ofSeconds(30)).get(0);
			String messageId = KafkaBroker.header(sent, DtxHeaders.MESSAGE_ID);
			KafkaTemplate<Object, Object> template = context.getBean(KafkaTemplate.class);
			ProducerRecord<Object, Object> duplicate = new ProducerRecord<>(TOPIC, "account-1", "credit 10");
			duplicate.headers().add(DtxHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
			template.send(duplicate).get(30, TimeUnit.SECONDS);

			// then a record sent by KafkaTemplate inside a global transaction, on the same partition
			GlobalTransaction global = new GlobalTransaction(GlobalTransaction.newXid(), "TCC", "transfer",
					Instant.now().plusSeconds(60));
			GlobalTransactionContext.bind(global);
			try {
				ProducerRecord<Object, Object> debit = new ProducerRecord<>(TOPIC, "account-1", "debit 4");
				debit.headers().add(DtxHeaders.MESSAGE_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
				template.send(debit).get(30, TimeUnit.SECONDS);
			}
			finally {
				GlobalTransactionContext.clear();
			}
			// the duplicate came before the debit and was dropped
			assertThat(ledger.applied().poll(30, TimeUnit.SECONDS)).isEqualTo("debit 4 xid=" + global.xid());
			assertThat(ledger.applied()).isEmpty();
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			// the listener says what it applied before its transaction commits
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("select count(*) from ledger", Integer.class) == 2);
			assertThat(jdbc.queryForList("select entry from ledger order by entry", String.class))
				.containsExactly("credit 10", "debit 4");
			assertThat(jdbc.queryForObject("select count(*) from dtx_inbox where consumer = 'ledger'", Integer.class))
				.isEqualTo(2);
			ConsumerRecord<String, String> debit = broker.consume(TOPIC, 3, Duration.ofSeconds(30)).get(2);
			assertThat(KafkaBroker.header(debit, DtxHeaders.XID)).isEqualTo(global.xid());
			assertThat(KafkaBroker.header(debit, DtxHeaders.MODE)).isEqualTo("TCC");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableKafka
	static class LedgerConfiguration {

		@Bean
		Ledger ledger(DataSource dataSource) {
			return new Ledger(new JdbcTemplate(dataSource));
		}

	}

	static class Ledger {

		private final BlockingQueue<String> applied = new LinkedBlockingQueue<>();

		private final JdbcTemplate jdbc;

		Ledger(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
			jdbc.execute("create table if not exists ledger (entry varchar(40))");
		}

		// the bean is a class proxy: its fields are the proxy's, not the listener's
		public BlockingQueue<String> applied() {
			return this.applied;
		}

		@KafkaListener(topics = "${ledger.topic}", groupId = "ledger")
		@InboxListener("ledger")
		public void apply(String entry) {
			this.jdbc.update("insert into ledger values (?)", entry);
			String xid = MDC.get(GlobalTransactionContext.MDC_KEY);
			this.applied.add(entry + " xid=" + ((xid != null) ? xid : "none"));
		}

	}

}
