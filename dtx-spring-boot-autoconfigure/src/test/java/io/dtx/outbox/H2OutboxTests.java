package io.dtx.outbox;

import java.util.UUID;

class H2OutboxTests extends OutboxContractTests {

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

}
