package io.dtx.message;

import io.dtx.test.DatabaseServer;

class MariaDbMessageTests extends MessageContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_messages"), server.username(), server.password() };
	}

}
