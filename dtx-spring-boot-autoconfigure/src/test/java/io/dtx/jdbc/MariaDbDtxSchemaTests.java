package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class MariaDbDtxSchemaTests extends DtxSchemaContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_schema"), server.username(), server.password() };
	}

}
