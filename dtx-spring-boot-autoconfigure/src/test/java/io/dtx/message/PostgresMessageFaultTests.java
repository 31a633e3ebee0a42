package io.dtx.message;

import io.dtx.test.DatabaseServer;

class PostgresMessageFaultTests extends MessageFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
