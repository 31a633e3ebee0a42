package io.dtx.tcc.crash;

import javax.sql.DataSource;

import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTransaction;
import io.dtx.tcc.TccTry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * The order service of the TCC crash tests, the initiator: {@code POST /orders} reserves
 * stock and promises loyalty points in its own database, two local branches, and freezes
 * the price in the payment service over HTTP, a remote one. It is configured by command
 * line properties only; its tables are created and filled by the test, so that a restart
 * finds them as the crash left them.
 * <p>
 * Crash points: {@code after-tries} once every try returned and before the decision;
 * {@code after-decision} in the first confirm (the stock's), when only the decision is
 * durable; {@code after-one-confirm} in the second confirm (the loyalty points'), once the
 * stock's has committed.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class OrderServiceApplication {

	public static void main(String[] args) {
		ServiceMain.run(OrderServiceApplication.class, args);
	}

	@Bean
	CrashPoints crashPoints(@Value("${crash.point:}") String crashPoint) {
		return new CrashPoints(crashPoint);
	}

	@Bean
	Stock stock(DataSource dataSource, CrashPoints crashPoints) {
		return new Stock(new JdbcTemplate(dataSource), crashPoints);
	}

	@Bean
	Loyalty loyalty(DataSource dataSource, CrashPoints crashPoints) {
		return new Loyalty(new JdbcTemplate(dataSource), crashPoints);
	}

	@Bean
	Orders orders(Stock stock, Loyalty loyalty, RestClient.Builder restClient, @Value("${payment.url}") String paymentUrl,
			CrashPoints crashPoints) {
		// the application's builder: dtx's interceptor carries the transaction into the call
		return new Orders(stock, loyalty, restClient.baseUrl(paymentUrl).build(), crashPoints);
	}

	@Bean
	OrderController orderController(Orders orders) {
		return new OrderController(orders);
	}

	/**
	 * An order: one TCC transaction with two local branches and one in the payment service.
	 */
	static class Orders {

		private final Stock stock;

		private final Loyalty loyalty;

		private final RestClient payment;

		private final CrashPoints crashPoints;

		Orders(Stock stock, Loyalty loyalty, RestClient payment, CrashPoints crashPoints) {
			this.stock = stock;
			this.loyalty = loyalty;
			this.payment = payment;
			this.crashPoints = crashPoints;
		}

		// short, since a transaction killed before its decision is cancelled once it has passed;
		// long enough that a cold JVM on a loaded machine still decides in time
		@TccTransaction(name = "place-order", timeout = "10s")
		public String placeOrder(String item, int quantity, int price) {
			int amount = quantity * price;
			this.stock.reserve(item, quantity);
			this.loyalty.promise("alice", amount);
			this.payment.post()
				.uri("/payments/freeze?account={account}&amount={amount}", "alice", amount)
				.retrieve()
				.toBodilessEntity();
			this.crashPoints.reach("after-tries");
			return "ordered";
		}

	}

	/**
	 * Stock: the try reserves, the confirm takes what was reserved, the cancel releases it.
	 * Each confirm and cancel also writes a row of {@code phase_two}, in the same local
	 * transaction, which counts how often it ran.
	 */
	static class Stock {

		private final JdbcTemplate jdbc;

		private final CrashPoints crashPoints;

		Stock(JdbcTemplate jdbc, CrashPoints crashPoints) {
			this.jdbc = jdbc;
			this.crashPoints = crashPoints;
		}

		@TccTry("reserve")
		public void reserve(String item, int quantity) {
			if (this.jdbc.update("update stock set reserved = reserved + ? where item = ? and available - reserved >= ?",
					quantity, item, quantity) == 0) {
				throw new IllegalStateException("out of stock: " + item);
			}
		}

		@Confirm("reserve")
		public void take(String item, int quantity) {
			this.crashPoints.reach("after-decision");
			this.jdbc.update("update stock set available = available - ?, reserved = reserved - ? where item = ?",
					quantity, quantity, item);
			this.jdbc.update("insert into phase_two (action, decision) values ('stock', 'confirm')");
		}

		@Cancel("reserve")
		public void release(String item, int quantity) {
			this.jdbc.update("update stock set reserved = reserved - ? where item = ?", quantity, item);
			this.jdbc.update("insert into phase_two (action, decision) values ('stock', 'cancel')");
		}

	}

	/**
	 * Loyalty points: the try promises them, the confirm grants them, the cancel withdraws
	 * the promise.
	 */
	static class Loyalty {

		private final JdbcTemplate jdbc;

		private final CrashPoints crashPoints;

		Loyalty(JdbcTemplate jdbc, CrashPoints crashPoints) {
			this.jdbc = jdbc;
			this.crashPoints = crashPoints;
		}

		@TccTry("promise")
		public void promise(String customer, int points) {
			this.jdbc.update("update loyalty set promised = promised + ? where customer = ?", points, customer);
		}

		@Confirm("promise")
		public void grant(String customer, int points) {
			this.crashPoints.reach("after-one-confirm");
			this.jdbc.update("update loyalty set points = points + ?, promised = promised - ? where customer = ?",
					points, points, customer);
			this.jdbc.update("insert into phase_two (action, decision) values ('loyalty', 'confirm')");
		}

		@Cancel("promise")
		public void withdraw(String customer, int points) {
			this.jdbc.update("update loyalty set promised = promised - ? where customer = ?", points, customer);
			this.jdbc.update("insert into phase_two (action, decision) values ('loyalty', 'cancel')");
		}

	}

}
