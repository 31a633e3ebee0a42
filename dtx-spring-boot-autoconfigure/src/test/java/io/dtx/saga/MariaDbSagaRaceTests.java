package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class MariaDbSagaRaceTests extends SagaRaceContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_saga_race"), server.username(), server.password() };
	}

	@Override
	String expectedIsolation() {
		return "REPEATABLE-READ";
	}

	@Override
	String isolationQuery() {
		return "select @@tx_isolation";
	}

}
