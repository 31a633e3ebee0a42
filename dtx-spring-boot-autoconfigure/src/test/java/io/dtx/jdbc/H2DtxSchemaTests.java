package io.dtx.jdbc;

import java.util.UUID;

class H2DtxSchemaTests extends DtxSchemaContractTests {

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

}
