package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class PostgresInsertIfAbsentTests extends InsertIfAbsentContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_insert_if_absent"), server.username(), server.password() };
	}

	@Override
	String lockWaitersQuery() {
		return "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()";
	}

}
