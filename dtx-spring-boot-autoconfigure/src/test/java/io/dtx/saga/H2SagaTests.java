package io.dtx.saga;

import java.util.UUID;

class H2SagaTests extends SagaContractTests {

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:saga-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

}
