package io.dtx.samples.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One database server the benchmark writes to, and how to log in.
 */
record Database(String title, String url, String username, String password) {

	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	@Override
	public String toString() {
		return this.title + " " + this.url;
	}

}
