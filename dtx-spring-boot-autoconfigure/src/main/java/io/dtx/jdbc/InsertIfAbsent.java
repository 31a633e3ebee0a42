package io.dtx.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An insert that, when its key exists, changes nothing and says so instead of failing,
 * inside the caller's transaction. A concurrent insert of the same key makes it wait for
 * that transaction's end, so two racing callers never both succeed.
 */
public final class InsertIfAbsent {

	private final JdbcTemplate jdbc;

	private final @Nullable String insertIfAbsent;

	private final String insert;

	InsertIfAbsent(DtxTables tables, String table, String columns, String values) {
		this.jdbc = new JdbcTemplate(tables.dataSource());
		this.insertIfAbsent = tables.vendor().insertIfAbsent(table, columns, values);
		this.insert = "insert into " + table + " (" + columns + ") values (" + values + ")";
	}

	/**
	 * Inserts the row and returns true, or returns false where its key exists.
	 */
	public boolean insert(@Nullable Object... values) {
		if (this.insertIfAbsent != null) {
			return this.jdbc.update(this.insertIfAbsent, values) == 1;
		}
		try {
			return this.jdbc.update(this.insert, values) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

}
