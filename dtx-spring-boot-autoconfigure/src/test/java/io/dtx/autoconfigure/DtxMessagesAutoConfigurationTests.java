package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.dtx.jdbc.DtxTables;
import io.dtx.message.MessageBarrier;
import io.dtx.message.MessageCheckBack;
import io.dtx.message.MessageResolver;
import io.dtx.message.MessageRetention;
import io.dtx.message.TransactionalMessages;
import io.dtx.outbox.ContextHeaders;
import io.dtx.web.RequestSigner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactional messages' auto-configuration: what it sets up, where the check-back
 * endpoint is served, and when it backs off.
 */
class DtxMessagesAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, KafkaAutoConfiguration.class,
			DtxSchemaAutoConfiguration.class, DtxOutboxAutoConfiguration.class, DtxMessagesAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "dtx.outbox.relay-enabled=false",
				"dtx.messages.resolver.enabled=false");

	@Test
	void setsUpTransactionalMessagesAndTheBarrierWithoutTheEndpointOutsideAWebApplication() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TransactionalMessages.class)
			.hasSingleBean(MessageBarrier.class)
			.hasSingleBean(MessageRetention.class)
			.doesNotHaveBean(MessageCheckBack.class)
			.doesNotHaveBean(RequestSigner.class));
	}

	@Test
	void servesTheCheckBackInAServletWebApplicationWithItsOwnSignerWhereNoneIsThere() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
					"dtx.outbox.relay-enabled=false", "dtx.http.secret=s", "dtx.messages.resolver.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(MessageCheckBack.class)
				.hasSingleBean(RequestSigner.class));
	}

	@Test
	void itsProducerWaitsForEveryReplicaWhateverTheApplicationSets() {
		KafkaProperties kafka = new KafkaProperties();
		kafka.getProducer().setAcks("1");
		kafka.getProducer().setTransactionIdPrefix("tx-");
		DtxMessagesProperties messages = new DtxMessagesProperties(true, "half", Duration.ofSeconds(4),
				Map.of("linger.ms", "2"), true, Duration.ofDays(7), Duration.ofHours(1), resolver());
		Map<String, Object> properties = DtxMessagesAutoConfiguration.producerProperties(kafka, messages);
		assertThat(properties).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
			.containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 4000)
			.containsEntry(ProducerConfig.LINGER_MS_CONFIG, "2")
			.doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
	}

	@Test
	void theResolverReadsCommittedOnlyAndWritesInTransactionsOfItsOwn() {
		KafkaProperties kafka = new KafkaProperties();
		kafka.getConsumer().setIsolationLevel(KafkaProperties.IsolationLevel.READ_UNCOMMITTED);
		kafka.getConsumer().setEnableAutoCommit(true);
		assertThat(DtxMessagesAutoConfiguration.resolverConsumerProperties(kafka, resolver()))
			.containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
			.containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
			.containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "resolvers");
		DtxMessagesProperties messages = new DtxMessagesProperties(true, "half", Duration.ofSeconds(4), Map.of(), true,
				Duration.ofDays(7), Duration.ofHours(1), resolver());
		assertThat(DtxMessagesAutoConfiguration.resolverProducerProperties(kafka, messages))
			.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.hasEntrySatisfying(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
					(id) -> assertThat(id.toString()).startsWith("dtx-messages-resolver-"));
	}

	@Test
	void theResolverRunsUnlessTurnedOff() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "dtx.outbox.relay-enabled=false",
					"dtx.messages.resolver.poll-timeout=50ms")
			.run((context) -> assertThat(context).hasSingleBean(MessageResolver.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(MessageResolver.class));
	}

	private static DtxMessagesProperties.Resolver resolver() {
		return new DtxMessagesProperties.Resolver(true, "resolvers", Duration.ofSeconds(30), Duration.ofSeconds(1),
				Duration.ofMinutes(1), Duration.ofMillis(200), 20, Map.of());
	}

	@Test
	void usesTheOutboxsContextHeadersAndItsOwnWithoutTheOutbox() {
		this.contextRunner.run((context) -> assertThat(context.getBean(TransactionalMessages.class))
			.extracting("contextHeaders")
			.isSameAs(context.getBean(ContextHeaders.class)));
		this.contextRunner.withPropertyValues("dtx.outbox.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TransactionalMessages.class)
				.doesNotHaveBean(ContextHeaders.class));
	}

	@Test
	void backsOffWithoutKafkaWhenTurnedOffOrWithDtxOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TransactionalMessages.class));
		this.contextRunner.withPropertyValues("dtx.messages.retention-enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TransactionalMessages.class)
				.doesNotHaveBean(MessageRetention.class));
		this.contextRunner.withPropertyValues("dtx.messages.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TransactionalMessages.class)
				.doesNotHaveBean(MessageBarrier.class));
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TransactionalMessages.class));
	}

	@Test
	void aUsersBeansWin() {
		this.contextRunner.withUserConfiguration(UserBarrier.class)
			.run((context) -> assertThat(context).hasSingleBean(MessageBarrier.class)
				.hasBean("myBarrier")
				.doesNotHaveBean("dtxMessageBarrier"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBarrier {

		@Bean
		MessageBarrier myBarrier(DtxTables tables) {
			return new MessageBarrier(tables);
		}

	}

}
