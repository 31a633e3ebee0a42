package io.dtx.faults;

import io.dtx.test.DatabaseServer;

/**
 * On MariaDB, on its default REPEATABLE READ.
 */
class MariaDbDatabaseFaultTests extends DatabaseFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
