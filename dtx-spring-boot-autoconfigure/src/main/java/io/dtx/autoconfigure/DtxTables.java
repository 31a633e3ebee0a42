package io.dtx.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

/**
 * Where dtx's tables live, resolved once for every store that reads and writes them.
 *
 * @param dataSource the DataSource that holds them
 * @param tablePrefix the prefix of their names
 * @param clock the clock of their timestamps
 */
record DtxTables(DataSource dataSource, String tablePrefix, Clock clock) {

	<T> T store(Store<T> store) {
		return store.create(this.dataSource, this.tablePrefix, this.clock);
	}

	/**
	 * The constructor of a store: the log, the fence, the participant log.
	 */
	interface Store<T> {

		T create(DataSource dataSource, String tablePrefix, Clock clock);

	}

}
