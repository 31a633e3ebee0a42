package io.dtx.tcc;

import io.dtx.test.DatabaseServer;

class PostgresTccHotRowTests extends TccHotRowContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_tcc_hot_rows"), server.username(), server.password() };
	}

}
