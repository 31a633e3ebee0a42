package io.dtx.xa;

import java.util.UUID;

/**
 * XA across two in-memory H2 databases: the fastest check, with no server.
 */
class H2XaTests extends XaTransactionContractTests {

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	@Override
	String[] orders() {
		// the alias is DDL, which H2 commits at once: it must not run inside the transaction
		return new String[] { "jdbc:h2:mem:orders-" + this.suffix
				+ ";DB_CLOSE_DELAY=-1;INIT=create alias if not exists dtx_pause for 'java.lang.Thread.sleep'", "sa", "" };
	}

	@Override
	String[] stock() {
		return new String[] { "jdbc:h2:mem:stock-" + this.suffix + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

	@Override
	String slowStatement() {
		return "call dtx_pause(2000)";
	}

	@Override
	int preparedBranches(String transactionManagerId) {
		// H2 forgets prepared branches with the in-memory database; the other subclasses check servers
		return 0;
	}

}
