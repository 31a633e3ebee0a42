package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class PostgresPreparedTransactionsTests extends PreparedTransactionsContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
