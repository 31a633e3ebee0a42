package io.dtx.xa.crash;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxXaAutoConfiguration;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The application a crash test runs in a child JVM, with dtx's real auto-configuration
 * and its settings on the command line. With {@code place-order} it places one order
 * over both databases (and, with a crash point set, never returns from it); with
 * {@code recover} it only starts, so that whatever it finishes was finished by recovery,
 * and runs until it is stopped.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ DtxXaAutoConfiguration.class, DataSourceAutoConfiguration.class,
		DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class })
public class XaCrashApplication {

	// what it prints tells, in its output file, how far it got
	public static final String STARTED = "XA-CRASH-APPLICATION started";

	private static final String ORDER_PLACED = "XA-CRASH-APPLICATION order placed";

	@Bean
	Shop shop(@Qualifier("orders") DataSource orders, @Qualifier("stock") DataSource stock) {
		return new Shop(new JdbcTemplate(orders), new JdbcTemplate(stock));
	}

	public static void main(String[] args) throws InterruptedException {
		String action = args[0];
		if (!"place-order".equals(action) && !"recover".equals(action)) {
			throw new IllegalArgumentException("The first argument must be place-order or recover, not " + action);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(XaCrashApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(Arrays.copyOfRange(args, 1, args.length));
		System.out.println(STARTED);
		if ("place-order".equals(action)) {
			context.getBean(Shop.class).placeOrder(1, 3);
			System.out.println(ORDER_PLACED);
			context.close();
			return;
		}
		// recovery runs on Atomikos's timer threads; the test stops this JVM once it has seen enough
		new CountDownLatch(1).await();
	}

	/**
	 * One order over two databases: a row in orders, a decrement in stock.
	 */
	static class Shop {

		private final JdbcTemplate orders;

		private final JdbcTemplate stock;

		Shop(JdbcTemplate orders, JdbcTemplate stock) {
			this.orders = orders;
			this.stock = stock;
		}

		@Transactional
		public void placeOrder(int id, int quantity) {
			this.orders.update("insert into orders values (?)", id);
			this.stock.update("update stock set quantity = quantity - ? where item = 'widget'", quantity);
		}

	}

}
