package io.dtx.fence;

import io.dtx.test.DatabaseServer;

class PostgresFenceRaceTests extends FenceRaceContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
