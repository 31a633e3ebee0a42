package io.dtx.jdbc;

import java.util.UUID;

class H2InsertIfAbsentTests extends InsertIfAbsentContractTests {

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:absent-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

	@Override
	String lockWaitersQuery() {
		// H2 names no blocker for a row lock: a session still inside the insert is waiting for one
		return "select count(*) from information_schema.sessions where executing_statement like 'insert into absent_test%'";
	}

}
