package io.dtx.outbox;

import io.dtx.test.DatabaseServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresOutboxTests extends OutboxContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_outbox"), server.username(), server.password() };
	}

	@Test
	void relayTransactionsAloneCommitWithoutWaitingForTheDisk() {
		contextRunner().withPropertyValues("dtx.outbox.relay-enabled=false").run((context) -> {
			OutboxStore store = context.getBean(OutboxStore.class);
			String relaxed = transaction(context).execute((status) -> {
				store.relaxCommit();
				return jdbc(context).queryForObject("show synchronous_commit", String.class);
			});
			assertThat(relaxed).isEqualTo("off");
			// set for the transaction only: the pooled connection goes back as it was
			for (int i = 0; i < 3; i++) {
				String after = transaction(context)
					.execute((status) -> jdbc(context).queryForObject("show synchronous_commit", String.class));
				assertThat(after).isEqualTo("on");
			}
		});
	}

}
