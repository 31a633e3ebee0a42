package io.dtx.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.dtx.core.DtxHeaders;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.Outbox;
import io.dtx.test.CommitFaults;
import io.dtx.test.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Orders written with a message published in the same local transaction: a row of
 * {@code fault_order} and one of the outbox, whose payload is the order's number. Each
 * caller thread publishes under a key of its own, one order after the other, so that a
 * key's committed orders have a known order. What is checked: every order committed is
 * delivered, no order rolled back is, each key in order; duplicates are allowed, and the
 * inbox drops them.
 */
final class OutboxOrders {

	/**
	 * The statement that publishes, in the caller's transaction.
	 */
	static final String PUBLISH = "insert into dtx_outbox";

	/**
	 * The statement of the relay that marks acknowledged messages.
	 */
	static final String MARK_SENT = "update dtx_outbox set state = 'SENT'";

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private final CommitFaults faults;

	private final String topic;

	OutboxOrders(DataSource dataSource, Outbox outbox, PlatformTransactionManager transactionManager,
			CommitFaults faults, String topic) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactionManager);
		this.faults = faults;
		this.topic = topic;
	}

	static void createTables(JdbcTemplate jdbc) {
		jdbc.execute("create table fault_order (id int primary key, message_key varchar(60) not null)");
	}

	void place(Call call) {
		String id = Integer.toString(call.number());
		String key = Thread.currentThread().getName();
		call.began(id);
		this.transaction.executeWithoutResult((status) -> {
			// a transaction that fails on purpose never commits: no fault for it
			if (call.fault() != null && !call.failsOnPurpose()) {
				this.faults.arm(call.fault(), PUBLISH, id);
			}
			try {
				this.jdbc.update("insert into fault_order (id, message_key) values (?, ?)", call.number(), key);
				this.outbox.publish(this.topic, key, id);
			}
			catch (RuntimeException ex) {
				throw call.methodThrew(ex);
			}
			if (call.failsOnPurpose()) {
				throw call.methodThrew(new Call.OrderRefusedException(call.number()));
			}
			call.methodReturned();
		});
	}

	/**
	 * Checks the callers against the orders committed, and the messages delivered (after
	 * the inbox dropped duplicates) against both; returns the problems found.
	 */
	List<String> problems(List<Call> calls, KafkaBroker broker, Inbox inbox, Duration timeout) {
		List<String> problems = new ArrayList<>();
		Map<Integer, String> committed = new HashMap<>();
		this.jdbc.query("select id, message_key from fault_order",
				(RowCallbackHandler) (row) -> committed.put(row.getInt(1), row.getString(2)));
		for (Call call : calls) {
			boolean isCommitted = committed.containsKey(call.number());
			Call.Heard heard = call.heardKind();
			// a commit that failed at the driver is the local transaction's business, not the
			// outbox's: the database says what happened, and delivery must follow it
			if ((heard == Call.Heard.SUCCESS && !isCommitted) || (heard == Call.Heard.OWN_EXCEPTION && isCommitted)) {
				problems.add("order " + call.number() + ": its caller heard " + heard + ", the order is "
						+ (isCommitted ? "committed" : "not committed"));
			}
		}
		List<ConsumerRecord<String, String>> records = broker.consumeToEnd(this.topic, timeout);
		Map<String, List<Integer>> delivered = new TreeMap<>();
		for (ConsumerRecord<String, String> record : records) {
			inbox.receive("fault-checker", KafkaBroker.header(record, DtxHeaders.MESSAGE_ID), () -> delivered
				.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(Integer.parseInt(record.value())));
		}
		Map<String, List<Integer>> expected = new TreeMap<>();
		committed.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((order) -> expected
			.computeIfAbsent(order.getValue(), (key) -> new ArrayList<>()).add(order.getKey()));
		expected.forEach((key, orders) -> {
			List<Integer> came = delivered.getOrDefault(key, List.of());
			if (!came.equals(orders)) {
				List<Integer> lost = new ArrayList<>(orders);
				lost.removeAll(came);
				List<Integer> strangers = new ArrayList<>(came);
				strangers.removeAll(orders);
				problems.add("key " + key + ": committed " + orders.size() + ", delivered " + came.size() + "; lost "
						+ lost + ", not committed yet delivered " + strangers + ", order kept: "
						+ came.stream().sorted().toList().equals(came));
			}
		});
		delivered.keySet().stream().filter((key) -> !expected.containsKey(key)).forEach((key) -> problems
			.add("key " + key + ": nothing committed, yet delivered " + delivered.get(key)));
		int applied = delivered.values().stream().mapToInt(List::size).sum();
		System.out.printf("outbox: %d calls, %d committed, %d records on the broker, %d applied through the inbox"
				+ " (%d duplicates dropped)%n", calls.size(), committed.size(), records.size(), applied,
				records.size() - applied);
		return problems;
	}

	int pending() {
		return this.jdbc.queryForObject("select count(*) from dtx_outbox where state <> 'SENT'", Integer.class);
	}

}
