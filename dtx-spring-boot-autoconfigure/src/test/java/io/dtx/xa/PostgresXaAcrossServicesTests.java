package io.dtx.xa;

import io.dtx.test.DatabaseServer;

class PostgresXaAcrossServicesTests extends XaAcrossServicesContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
