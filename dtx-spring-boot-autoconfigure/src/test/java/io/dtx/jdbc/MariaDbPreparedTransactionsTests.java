package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class MariaDbPreparedTransactionsTests extends PreparedTransactionsContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

	@Override
	String lockWaitersQuery() {
		return "select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT'";
	}

}
