package io.dtx.saga.orchestration;

import io.dtx.test.DatabaseServer;

class PostgresSagaFaultTests extends SagaFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
