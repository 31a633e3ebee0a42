package io.dtx.saga.orchestration;

import io.dtx.test.DatabaseServer;

class MariaDbSagaFaultTests extends SagaFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
