package io.dtx.samples.tccshop.stock;

import javax.sql.DataSource;

import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The stock as a TCC participant. A reservation moves nothing out of stock yet: it only
 * marks items as reserved, so that no other order can reserve them, until the order's
 * transaction confirms (the items are taken) or cancels (they are released).
 */
@Service
public class StockService {

	private final JdbcTemplate jdbc;

	StockService(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Reserves {@code quantity} items, in one local transaction with dtx's fence row.
	 * @throws OutOfStockException when fewer are available: nothing is reserved
	 */
	@TccTry("reserve")
	public void reserve(String item, int quantity) {
		// checked and changed in one statement: two concurrent reservations cannot both see the same items
		int updated = this.jdbc.update(
				"update stock set reserved = reserved + ? where item = ? and available - reserved >= ?", quantity,
				item, quantity);
		if (updated == 0) {
			throw new OutOfStockException(item, quantity, available(item));
		}
	}

	@Confirm("reserve")
	public void take(String item, int quantity) {
		this.jdbc.update("update stock set available = available - ?, reserved = reserved - ? where item = ?",
				quantity, quantity, item);
	}

	@Cancel("reserve")
	public void release(String item, int quantity) {
		this.jdbc.update("update stock set reserved = reserved - ? where item = ?", quantity, item);
	}

	private int available(String item) {
		return this.jdbc.query("select available - reserved from stock where item = ?",
				(rows) -> rows.next() ? rows.getInt(1) : 0, item);
	}

}
