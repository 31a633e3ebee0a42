package io.dtx.samples.messageshop.order;

import io.dtx.message.TransactionalMessages;
import io.dtx.samples.messageshop.OrderPlaced;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Places orders: the stock is taken and the order written in one local transaction, and
 * {@link OrderPlaced} reaches its topic if and only if that transaction commits.
 */
@Service
public class OrderService {

	private final TransactionalMessages messages;

	private final JdbcTemplate jdbc;

	OrderService(TransactionalMessages messages, JdbcTemplate jdbc) {
		this.messages = messages;
		this.jdbc = jdbc;
	}

	/**
	 * Places the order and returns the id of its message.
	 * @throws OutOfStockException where the stock is short, and nothing is sent
	 */
	public String place(String orderId, String item, int quantity) {
		return place(orderId, item, quantity, () -> {
		});
	}

	// the demo's crash runs in the local transaction, after the order is written
	String place(String orderId, String item, int quantity, Runnable thenInTheTransaction) {
		return this.messages.send(OrderPlaced.TOPIC, orderId, new OrderPlaced(orderId, item, quantity), () -> {
			int taken = this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?",
					quantity, item, quantity);
			if (taken == 0) {
				throw new OutOfStockException(item, quantity);
			}
			this.jdbc.update("insert into orders (id, item, quantity) values (?, ?, ?)", orderId, item, quantity);
			thenInTheTransaction.run();
		});
	}

	/**
	 * Whether the order is in the order service's database.
	 */
	public boolean placed(String orderId) {
		return this.jdbc.queryForObject("select count(*) from orders where id = ?", Integer.class, orderId) == 1;
	}

	/**
	 * An order asked for more than the stock holds.
	 */
	public static class OutOfStockException extends RuntimeException {

		OutOfStockException(String item, int quantity) {
			super("Out of stock: " + quantity + " x " + item);
		}

	}

}
