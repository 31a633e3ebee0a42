package io.dtx.message;

import io.dtx.test.DatabaseServer;

class MariaDbMessageFaultTests extends MessageFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
