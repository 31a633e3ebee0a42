package io.dtx.jdbc;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A store of one of dtx's tables: the coordinator's log, the fence, the participants,
 * the outbox, the inbox. A store writes its statements once, in its constructor, from
 * {@link #table()}; here is what every store reads and writes its table with, in one
 * place.
 */
public abstract class TableStore {

	private final DtxTables tables;

	private final String table;

	private final JdbcTemplate jdbc;

	/**
	 * A store of the table of the given name, before its prefix.
	 */
	protected TableStore(DtxTables tables, String table) {
		this.tables = tables;
		this.table = tables.name(table);
		this.jdbc = new JdbcTemplate(tables.dataSource());
	}

	/**
	 * The full name of the store's table, as an operator queries it.
	 */
	public String table() {
		return this.table;
	}

	/**
	 * The clock of the table's timestamps.
	 */
	public Clock clock() {
		return this.tables.clock();
	}

	protected final JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/**
	 * A JdbcTemplate that reads at most {@code maxRows} rows: a pass over a backlog takes
	 * one batch of it, however long the backlog is.
	 */
	protected final JdbcTemplate jdbc(int maxRows) {
		JdbcTemplate limited = new JdbcTemplate(this.tables.dataSource());
		limited.setMaxRows(maxRows);
		return limited;
	}

	/**
	 * Now by the table's clock, as its timestamp columns take it.
	 */
	protected final Timestamp now() {
		return Timestamp.from(this.tables.clock().instant());
	}

	/**
	 * An insert into the store's table that, where the key exists, changes nothing.
	 */
	protected final InsertIfAbsent insertIfAbsent(String columns, String values) {
		return new InsertIfAbsent(this.tables, this.table, columns, values);
	}

}
