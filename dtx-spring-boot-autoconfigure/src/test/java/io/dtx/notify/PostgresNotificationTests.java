package io.dtx.notify;

import io.dtx.test.DatabaseServer;

class PostgresNotificationTests extends NotificationContractTests {

	@Override
	String[] emptyDatabase() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_notify"), server.username(), server.password() };
	}

}
