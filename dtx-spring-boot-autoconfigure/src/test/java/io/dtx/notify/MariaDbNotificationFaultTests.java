package io.dtx.notify;

import io.dtx.test.DatabaseServer;

class MariaDbNotificationFaultTests extends NotificationFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

}
