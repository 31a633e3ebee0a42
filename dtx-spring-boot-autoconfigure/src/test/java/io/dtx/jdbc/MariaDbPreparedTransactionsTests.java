package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class MariaDbPreparedTransactionsTests extends PreparedTransactionsContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
