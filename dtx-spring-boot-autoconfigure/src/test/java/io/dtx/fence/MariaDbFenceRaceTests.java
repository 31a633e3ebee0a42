package io.dtx.fence;

import io.dtx.test.DatabaseServer;

/**
 * On MariaDB's default REPEATABLE READ, where a fence that reads before it writes (as
 * Seata's does) deadlocks on gap locks.
 */
class MariaDbFenceRaceTests extends FenceRaceContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_fence_race"), server.username(), server.password() };
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
