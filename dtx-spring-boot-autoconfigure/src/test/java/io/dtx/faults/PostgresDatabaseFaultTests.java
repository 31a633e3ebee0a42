package io.dtx.faults;

import io.dtx.test.DatabaseServer;

/**
 * On PostgreSQL, whose fast shutdown terminates every session ("terminating connection
 * due to administrator command"), committed or not.
 */
class PostgresDatabaseFaultTests extends DatabaseFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
