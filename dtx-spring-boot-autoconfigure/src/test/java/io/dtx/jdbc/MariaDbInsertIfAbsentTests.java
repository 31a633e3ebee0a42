package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class MariaDbInsertIfAbsentTests extends InsertIfAbsentContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_insert_if_absent"), server.username(), server.password() };
	}

	@Override
	String lockWaitersQuery() {
		return "select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT'";
	}

}
