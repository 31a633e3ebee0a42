package io.dtx.samples.shop;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders. Each order touches two databases, and a plain {@code @Transactional}
 * makes both changes one XA transaction: either both databases keep them or neither does.
 */
@Service
public class OrderService {

	private final SimpleJdbcInsert newOrder;

	private final JdbcTemplate stock;

	OrderService(@Qualifier("orders") DataSource orders, @Qualifier("stock") DataSource stock) {
		this.newOrder = new SimpleJdbcInsert(orders).withTableName("orders").usingGeneratedKeyColumns("id");
		this.stock = new JdbcTemplate(stock);
	}

	/**
	 * Writes an order in the orders database and takes its items from the stock database.
	 * @param item the item ordered
	 * @param quantity how many of it
	 * @return the id of the new order
	 * @throws OutOfStockException when the stock holds fewer items: then neither database
	 * keeps anything of the order
	 */
	@Transactional
	public long placeOrder(String item, int quantity) {
		// written before the stock is checked on purpose: a refusal must undo it, in the other database
		long orderId = this.newOrder.executeAndReturnKey(Map.of("item", item, "quantity", quantity)).longValue();
		int taken = this.stock.update("update stock set quantity = quantity - ? where item = ? and quantity >= ?",
				quantity, item, quantity);
		if (taken == 0) {
			throw new OutOfStockException(item, quantity, stockLeft(item));
		}
		return orderId;
	}

	private int stockLeft(String item) {
		return this.stock.query("select quantity from stock where item = ?", (rows) -> rows.next() ? rows.getInt(1) : 0,
				item);
	}

}
