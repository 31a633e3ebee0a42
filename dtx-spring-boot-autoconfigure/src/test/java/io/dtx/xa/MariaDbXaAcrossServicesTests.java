package io.dtx.xa;

import io.dtx.test.DatabaseServer;

class MariaDbXaAcrossServicesTests extends XaAcrossServicesContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
