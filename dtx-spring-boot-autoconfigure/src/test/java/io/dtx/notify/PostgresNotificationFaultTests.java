package io.dtx.notify;

import io.dtx.test.DatabaseServer;

class PostgresNotificationFaultTests extends NotificationFaultContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.POSTGRESQL;
	}

}
