package io.dtx.jdbc;

import io.dtx.test.DatabaseServer;

class PostgresDtxSchemaTests extends DtxSchemaContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_schema"), server.username(), server.password() };
	}

}
