package io.dtx.saga;

import io.dtx.test.DatabaseServer;

class MariaDbSagaRaceTests extends SagaRaceContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
