package io.dtx.outbox;

import io.dtx.test.DatabaseServer;

class PostgresOutboxTests extends OutboxContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_outbox"), server.username(), server.password() };
	}

}
