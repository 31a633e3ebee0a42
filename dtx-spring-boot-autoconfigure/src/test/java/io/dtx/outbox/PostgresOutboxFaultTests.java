package io.dtx.outbox;

import io.dtx.test.DatabaseServer;

class PostgresOutboxFaultTests extends OutboxFaultContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_outbox_faults"), server.username(), server.password() };
	}

}
