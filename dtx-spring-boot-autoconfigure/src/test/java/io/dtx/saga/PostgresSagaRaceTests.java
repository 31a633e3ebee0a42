package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class PostgresSagaRaceTests extends SagaRaceContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_saga_race"), server.username(), server.password() };
	}

	@Override
	String expectedIsolation() {
		return "read committed";
	}

	@Override
	String isolationQuery() {
		return "show transaction_isolation";
	}

}
