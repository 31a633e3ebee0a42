package io.dtx.samples.shop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * The demo itself: resets the shop, places an order that succeeds and one that fails,
 * and prints after each what both databases hold.
 */
@Component
class ShopDemo implements ApplicationRunner {

	static final String ITEM = "widget";

	static final int INITIAL_STOCK = 5;

	private final OrderService orderService;

	private final JdbcTemplate orders;

	private final JdbcTemplate stock;

	private final PrintStream out = System.out;

	private final List<Scenario> scenarios = new ArrayList<>();

	ShopDemo(OrderService orderService, @Qualifier("orders") DataSource orders, @Qualifier("stock") DataSource stock) {
		this.orderService = orderService;
		this.orders = new JdbcTemplate(orders);
		this.stock = new JdbcTemplate(stock);
	}

	@Override
	public void run(ApplicationArguments args) {
		reset();
		this.out.println();
		this.out.println("dtx shop demo: placing an order writes a row in the 'orders' database and takes the items");
		this.out.println("from the 'stock' database, both in one XA transaction (OrderService#placeOrder).");
		this.out.println();
		this.out.println("0. Start: " + INITIAL_STOCK + " x " + ITEM + " in stock, no orders");
		print(snapshot("start", null));
		place("1. Order 2 x " + ITEM, 2);
		place("2. Order 10 x " + ITEM + " (more than the stock holds)", 10);
		this.out.println("The refused order had already been written in 'orders' when 'stock' refused it;");
		this.out.println("the XA rollback removed it there too, so both databases agree.");
		this.out.println();
	}

	/**
	 * What each scenario did, in the order played.
	 */
	List<Scenario> scenarios() {
		return List.copyOf(this.scenarios);
	}

	private void reset() {
		this.orders.update("truncate table orders restart identity");
		this.stock.update("delete from stock");
		this.stock.update("insert into stock (item, quantity) values (?, ?)", ITEM, INITIAL_STOCK);
	}

	private void place(String title, int quantity) {
		this.out.println(title);
		String failure = null;
		try {
			long orderId = this.orderService.placeOrder(ITEM, quantity);
			this.out.println("   -> COMMITTED: order #" + orderId);
		}
		catch (RuntimeException ex) {
			failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			this.out.println("   -> ROLLED BACK: " + failure);
		}
		Scenario scenario = snapshot(title, failure);
		this.scenarios.add(scenario);
		print(scenario);
	}

	private Scenario snapshot(String title, @Nullable String failure) {
		List<String> orderRows = this.orders.query("select id, item, quantity from orders order by id",
				(row, index) -> "#" + row.getLong("id") + " " + row.getInt("quantity") + " x " + row.getString("item"));
		Map<String, Integer> stockRows = new LinkedHashMap<>();
		this.stock.query("select item, quantity from stock order by item",
				(RowCallbackHandler) (row) -> stockRows.put(row.getString("item"), row.getInt("quantity")));
		return new Scenario(title, failure, orderRows, stockRows);
	}

	private void print(Scenario scenario) {
		this.out.println("   orders database, table orders: "
				+ (scenario.orders().isEmpty() ? "(empty)" : String.join(", ", scenario.orders())));
		this.out.println("   stock database, table stock:   " + scenario.stock()
			.entrySet()
			.stream()
			.map((row) -> row.getValue() + " x " + row.getKey())
			.collect(Collectors.joining(", ")));
		this.out.println();
	}

	/**
	 * One order placed by the demo: its failure, if any, and the rows of both databases
	 * after it.
	 */
	record Scenario(String title, @Nullable String failure, List<String> orders, Map<String, Integer> stock) {

		boolean committed() {
			return this.failure == null;
		}

	}

}
