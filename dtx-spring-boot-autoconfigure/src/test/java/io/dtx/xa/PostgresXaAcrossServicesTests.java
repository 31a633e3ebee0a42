package io.dtx.xa;

import io.dtx.test.DatabaseServer;

class PostgresXaAcrossServicesTests extends XaAcrossServicesContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

	@Override
	String lockWaitersQuery() {
		return "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()";
	}

}
