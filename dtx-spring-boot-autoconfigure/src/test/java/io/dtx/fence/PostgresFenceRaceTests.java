package io.dtx.fence;

import io.dtx.test.DatabaseServer;

class PostgresFenceRaceTests extends FenceRaceContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_fence_race"), server.username(), server.password() };
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
