package io.dtx.fence;

import io.dtx.test.DatabaseServer;

/**
 * On MariaDB's default REPEATABLE READ, where a fence that reads before it writes (as
 * Seata's does) deadlocks on gap locks.
 */
class MariaDbFenceRaceTests extends FenceRaceContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
