package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class PostgresSagaHotRowTests extends SagaHotRowContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_saga_hot_rows"), server.username(), server.password() };
	}

}
