package io.dtx.outbox;

import io.dtx.test.DatabaseServer;

class MariaDbOutboxFaultTests extends OutboxFaultContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_outbox_faults"), server.username(), server.password() };
	}

}
