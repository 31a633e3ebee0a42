package io.dtx.message;

import io.dtx.test.DatabaseServer;

class PostgresMessageTests extends MessageContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_messages"), server.username(), server.password() };
	}

}
