package io.dtx.xa;

import io.dtx.test.DatabaseServer;

class MariaDbXaAcrossServicesTests extends XaAcrossServicesContractTests {

	@Override
	DatabaseServer server() {
		return DatabaseServer.MARIADB;
	}

	@Override
	String lockWaitersQuery() {
		return "select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT'"
				+ " and trx_query like 'update account set balance = balance + 1%'";
	}

}
