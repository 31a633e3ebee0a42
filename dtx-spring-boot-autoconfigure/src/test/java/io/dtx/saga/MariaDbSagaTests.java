package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class MariaDbSagaTests extends SagaContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_saga"), server.username(), server.password() };
	}

}
