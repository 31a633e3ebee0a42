package io.dtx.message;

import java.util.UUID;

class H2MessageTests extends MessageContractTests {

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

}
