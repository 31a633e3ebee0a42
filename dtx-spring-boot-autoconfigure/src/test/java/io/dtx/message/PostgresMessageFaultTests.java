package io.dtx.message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dtx.core.DtxHeaders;
import io.dtx.test.DatabaseServer;
import io.dtx.test.KafkaBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresMessageFaultTests extends MessageFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

	// the resolver keeps nothing in a database: killed once, here
	@Test
	void aResolverKilledInTheTransactionOfItsDeliveriesDeliversEachMessageOnceAfterARestart() {
		ConfigurableApplicationContext producer = start(producerProperties());
		TransactionalMessages messages = producer.getBean(TransactionalMessages.class);
		Set<String> sent = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			sent.add(messages.send(this.topic, "order-" + (i % 6), Map.of("n", i), () -> {
			}));
		}
		List<String> resolverProperties = new ArrayList<>(resolverProperties());
		resolverProperties.add("dtx.messages.producer.interceptor.classes="
				+ MessageCrashMain.HaltingDeliveryInterceptor.class.getName());
		awaitCrash(startChild(MessageCrashMain.RESOLVER_MID_DELIVERY, resolverProperties.toArray(String[]::new)),
				MessageCrashMain.RESOLVER_MID_DELIVERY);

		MessageResolver resolver = startResolver().getBean(MessageResolver.class);
		await().atMost(TIMEOUT)
			.until(() -> broker.consumeToEnd(this.topic, TIMEOUT).size() >= sent.size() && resolver.pending() == 0);
		assertThat(broker.consumeToEnd(this.topic, TIMEOUT))
			.extracting((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))
			.as("each once, read committed")
			.containsExactlyInAnyOrderElementsOf(sent);
	}

}
