package io.dtx.notify;

import io.dtx.test.DatabaseServer;

class MariaDbNotificationTests extends NotificationContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_notify"), server.username(), server.password() };
	}

}
