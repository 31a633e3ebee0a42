package com.example.shop;

import io.dtx.core.BranchContext;
import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

@Service
public class Stock {

	private final JdbcTemplate jdbc;

	public Stock(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@TccTry("reserve") // phase one: runs in one local transaction with its fence row
	public void reserve(String item, int quantity) {
		if (this.jdbc.update("update stock set reserved = reserved + ? where item = ? and available - reserved >= ?",
				quantity, item, quantity) == 0) {
			throw new IllegalStateException("Out of stock: " + item);
		}
	}

	@Confirm("reserve") // same parameters as the try
	public void take(String item, int quantity) {
		this.jdbc.update("update stock set available = available - ?, reserved = reserved - ? where item = ?", quantity,
				quantity, item);
	}

	@Cancel("reserve") // same parameters, optionally followed by a BranchContext
	public void release(String item, int quantity, BranchContext branch) {
		this.jdbc.update("update stock set reserved = reserved - ? where item = ?", quantity, item);
	}

}
