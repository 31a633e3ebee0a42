package io.dtx.outbox;

import io.dtx.test.DatabaseServer;

class MariaDbOutboxTests extends OutboxContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_outbox"), server.username(), server.password() };
	}

}
