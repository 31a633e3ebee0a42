package io.dtx.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every effect the hot-row shops applied, one row per order and action, written in the
 * same local transaction as the effect: a row exists exactly when its effect committed.
 * No primary key, on purpose: an effect applied twice shows as two rows, where a key
 * would turn it into a failing phase two.
 */
public class HotRowLedger {

	private final JdbcTemplate jdbc;

	public HotRowLedger(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.execute("create table hot_ledger (order_no int not null, action varchar(16) not null,"
				+ " amount int not null)");
	}

	/** Joins the caller's local transaction. */
	public void record(int order, String action, int amount) {
		this.jdbc.update("insert into hot_ledger values (?, ?, ?)", order, action, amount);
	}

	/** The actions applied for each order, sorted by name, a repeated one as often as it was applied. */
	public Map<Integer, List<String>> actionsByOrder() {
		Map<Integer, List<String>> actions = new TreeMap<>();
		this.jdbc.query("select order_no, action from hot_ledger order by order_no, action",
				(row) -> {
					actions.computeIfAbsent(row.getInt(1), (order) -> new ArrayList<>()).add(row.getString(2));
				});
		return actions;
	}

}
