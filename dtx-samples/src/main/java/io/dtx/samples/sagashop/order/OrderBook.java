package io.dtx.samples.sagashop.order;

import javax.sql.DataSource;

import io.dtx.saga.SagaStep;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The order service's own table: an order is created as the saga's first step, marked
 * FAILED by its compensation, and CONFIRMED once every step succeeded.
 */
@Component
public class OrderBook {

	private final JdbcTemplate jdbc;

	OrderBook(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Creates a PENDING order; returns its id.
	 */
	@SagaStep(compensate = "fail")
	public Long create(String item, int quantity, String account, int amount) {
		long id = this.jdbc.queryForObject("select coalesce(max(id), 0) + 1 from orders", Long.class);
		this.jdbc.update("insert into orders (id, item, quantity, account, amount, status)"
				+ " values (?, ?, ?, ?, ?, 'PENDING')", id, item, quantity, account, amount);
		return id;
	}

	// the order is kept, as a record of what was refused
	public void fail(String item, int quantity, String account, int amount, Long order) {
		this.jdbc.update("update orders set status = 'FAILED' where id = ?", order);
	}

	void confirm(long order) {
		this.jdbc.update("update orders set status = 'CONFIRMED' where id = ?", order);
	}

}
