package io.dtx.notify;

import java.util.UUID;

class H2NotificationTests extends NotificationContractTests {

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

}
