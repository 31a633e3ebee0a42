package io.dtx.samples.sagashop.stock;

import javax.sql.DataSource;

import io.dtx.saga.SagaStep;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Stock as saga steps: items are taken at once and put back by the compensation.
 */
@Service
public class StockService {

	private final JdbcTemplate jdbc;

	StockService(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Takes {@code quantity} x {@code item} from stock.
	 * @throws OutOfStockException when fewer are left: nothing is taken
	 */
	@SagaStep(compensate = "putBack")
	public void take(String item, int quantity) {
		// checked and changed in one statement: two concurrent orders cannot both take the last items
		if (this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?", quantity,
				item, quantity) == 0) {
			Integer available = this.jdbc.queryForObject("select available from stock where item = ?", Integer.class,
					item);
			throw new OutOfStockException(item, quantity, (available != null) ? available : 0);
		}
	}

	public void putBack(String item, int quantity) {
		this.jdbc.update("update stock set available = available + ? where item = ?", quantity, item);
	}

}
