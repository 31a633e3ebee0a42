package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class PostgresSagaTests extends SagaContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_saga"), server.username(), server.password() };
	}

}
