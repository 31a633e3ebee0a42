package com.example.shop;

import io.dtx.outbox.Outbox;
import io.dtx.tcc.TccTransaction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class Orders {

	private final JdbcTemplate jdbc;

	private final Stock stock;

	private final Outbox outbox;

	public Orders(JdbcTemplate jdbc, Stock stock, Outbox outbox) {
		this.jdbc = jdbc;
		this.stock = stock;
		this.outbox = outbox;
	}

	@TccTransaction(name = "place-order", timeout = "30s") // returning confirms every branch, throwing cancels them
	public void place(String orderId, String item, int quantity) {
		this.stock.reserve(item, quantity); // a local branch; a RestClient call would be a remote one
	}

	@Transactional
	public void ship(String orderId) {
		this.jdbc.update("insert into shipment (order_id) values (?)", orderId);
		// a row in the same transaction: sent to Kafka after the commit, never if it rolls back
		this.outbox.publish("orders", orderId, new OrderShipped(orderId));
	}

	public record OrderShipped(String orderId) {
	}

}
