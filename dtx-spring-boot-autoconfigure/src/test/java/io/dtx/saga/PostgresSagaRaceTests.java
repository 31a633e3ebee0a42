package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class PostgresSagaRaceTests extends SagaRaceContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
