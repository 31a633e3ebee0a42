package io.dtx.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hot-row load of DESIGN.md section 7: {@value #ORDERS} global transactions from
 * {@value #CALLERS} threads, every one on the same account row and the same stock row,
 * every fifth failing by design. What each caller got is kept, so that a test can tell
 * an order's own exception from one of dtx's making.
 */
public final class HotRows {

	public static final int ORDERS = 200;

	public static final int CALLERS = 16;

	/** Price of one unit, so that an order's amount follows from its quantity. */
	public static final int PRICE = 10;

	/**
	 * How long, once every caller has returned, everything may take to settle: phase two
	 * run by the callers or dtx's executor, or a failed one retried by recovery's next
	 * passes ({@code dtx.recovery.interval=1s}). Never as long as a lease (30 s by default):
	 * holds on the hot rows must not wait for one to run out.
	 */
	public static final Duration SETTLE = Duration.ofSeconds(5);

	// only to say in a failure how long settling really took: past the lease and its retry
	private static final Duration LONGEST_WAIT = Duration.ofSeconds(45);

	private HotRows() {
	}

	public static boolean failsByDesign(int order) {
		return order % 5 == 4;
	}

	/** One to three units, so that sums tell a lost or doubled order from another. */
	public static int quantity(int order) {
		return 1 + order % 3;
	}

	public static int amount(int order) {
		return quantity(order) * PRICE;
	}

	/**
	 * Places orders 0 to {@value #ORDERS} - 1 from {@value #CALLERS} threads and returns
	 * what each caller got.
	 */
	public static Outcomes placeAll(Order order) throws InterruptedException {
		ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
		long start = System.nanoTime();
		try {
			List<Future<?>> placed = new ArrayList<>();
			for (int i = 0; i < ORDERS; i++) {
				int number = i;
				placed.add(callers.submit(() -> {
					order.place(number);
					return null;
				}));
			}
			Throwable[] thrown = new Throwable[ORDERS];
			for (int i = 0; i < ORDERS; i++) {
				try {
					placed.get(i).get(60, TimeUnit.SECONDS);
				}
				catch (ExecutionException ex) {
					thrown[i] = ex.getCause();
				}
				catch (TimeoutException ex) {
					thrown[i] = ex;
				}
			}
			return new Outcomes(Arrays.asList(thrown), Duration.ofNanos(System.nanoTime() - start));
		}
		finally {
			callers.shutdownNow();
			callers.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	/**
	 * Waits until {@code settled} passes and says how long that took. It waits past
	 * {@link #SETTLE}, up to a lease and more, only so that a failure says how long
	 * settling really took; a test asserts {@link Settling#took()} against
	 * {@link #SETTLE}.
	 */
	public static Settling settle(ThrowingRunnable settled) {
		long start = System.nanoTime();
		try {
			await().atMost(LONGEST_WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(settled);
			return new Settling(Duration.ofNanos(System.nanoTime() - start), null);
		}
		catch (ConditionTimeoutException ex) {
			return new Settling(Duration.ofNanos(System.nanoTime() - start), ex.getMessage());
		}
	}

	/**
	 * Asserts that every global transaction and every fence row is decided, confirmed or
	 * cancelled: what a test's {@link #settle} waits for, with whatever else it must.
	 * @param transactions what the test's global transactions are, for the message
	 */
	public static void assertDecided(JdbcTemplate jdbc, String transactions) {
		assertThat(jdbc.queryForList("select distinct state from dtx_global_transaction", String.class))
			.as("states of the " + transactions)
			.isSubsetOf("CONFIRMED", "CANCELLED");
		assertThat(jdbc.queryForList("select distinct state from dtx_branch_fence", String.class))
			.as("states of the fence rows")
			.isSubsetOf("CONFIRMED", "CANCELLED");
	}

	/**
	 * Checks, softly, what dtx owes the callers once {@code settling} is over: no caller
	 * heard of an exception not its order's own, settling took no longer than
	 * {@link #SETTLE}, and each order left the state and effects its caller's outcome
	 * implies (see {@link Expected}). Prints the test's {@link #summary} first. Returns
	 * what the confirmed orders add up to, for the test to check its rows against.
	 */
	public static Confirmed check(SoftAssertions softly, String test, Outcomes outcomes, Settling settling,
			Expected expected, JdbcTemplate jdbc, HotRowLedger ledger) {
		Map<String, Integer> foreign = outcomes.foreign(expected.own());
		System.out.println(summary(test, outcomes, foreign, settling));
		softly.assertThat(foreign).as("exceptions not the order's own reaching callers").isEmpty();
		softly.assertThat(settling.took())
			.as("time to settle once every caller returned (%s)", settling)
			.isLessThanOrEqualTo(SETTLE);
		Map<String, String> states = new HashMap<>();
		jdbc.query("select xid, state from dtx_global_transaction",
				(row) -> { states.put(row.getString(1), row.getString(2)); });
		Map<Integer, List<String>> applied = ledger.actionsByOrder();
		int amount = 0;
		int units = 0;
		for (int order = 0; order < ORDERS; order++) {
			String state = states.get(expected.xid().apply(order));
			if (outcomes.returned(order)) {
				softly.assertThat(state).as("state of order %d, whose caller was told it succeeded", order)
					.isEqualTo("CONFIRMED");
				softly.assertThat(applied.get(order)).as("effects applied for order %d", order)
					.containsExactlyElementsOf(expected.confirmed());
			}
			else if (outcomes.thrown(order) == expected.own().apply(order)) {
				softly.assertThat(state).as("state of order %d, whose caller got its %s", order, expected.ownName())
					.isEqualTo("CANCELLED");
				softly.assertThat(applied.get(order)).as("effects applied for order %d", order)
					.containsExactlyElementsOf(expected.cancelled());
			}
			else {
				// already reported as foreign; whatever it did, it did at most once
				softly.assertThat(state).as("state of order %d, whose caller got %s", order, outcomes.thrown(order))
					.isNotEqualTo("CONFIRMED");
				softly.assertThat(applied.getOrDefault(order, List.of())).as("effects applied for order %d", order)
					.doesNotHaveDuplicates();
			}
			if ("CONFIRMED".equals(state)) {
				amount += amount(order);
				units += quantity(order);
			}
		}
		return new Confirmed(amount, units);
	}

	/** One line for the test's output: what callers heard, how long placing and settling took. */
	public static String summary(String test, Outcomes outcomes, Map<String, Integer> foreign, Settling settling) {
		return test + ": " + ORDERS + " orders placed in " + outcomes.took().toMillis() + " ms; "
				+ foreign.values().stream().mapToInt(Integer::intValue).sum()
				+ " callers got an exception not their own " + foreign + "; " + settling;
	}

	@FunctionalInterface
	public interface Order {

		void place(int order) throws Exception;

	}

	/**
	 * What a test expects of each order, by what its caller got: the transaction id it ran
	 * in; the exception it throws when it fails by design ({@code null} for the others),
	 * named for messages; and the ledger's actions, sorted by name, of an order confirmed
	 * and of one cancelled after failing by design.
	 */
	public record Expected(IntFunction<String> xid, IntFunction<Throwable> own, String ownName,
			List<String> confirmed, List<String> cancelled) {
	}

	/** The amount and units of the orders that ended confirmed. */
	public record Confirmed(int amount, int units) {
	}

	/**
	 * What each caller got, {@code null} where its order returned normally, and how long
	 * placing them all took.
	 */
	public record Outcomes(List<Throwable> thrown, Duration took) {

		public boolean returned(int order) {
			return this.thrown.get(order) == null;
		}

		public Throwable thrown(int order) {
			return this.thrown.get(order);
		}

		/**
		 * Every exception a caller got that its order did not throw itself, counted by
		 * type and message: empty when each order failing by design got the very exception
		 * it threw, unchanged, and every other returned.
		 */
		public Map<String, Integer> foreign(IntFunction<Throwable> own) {
			Map<String, Integer> foreign = new TreeMap<>();
			for (int i = 0; i < ORDERS; i++) {
				Throwable thrown = this.thrown.get(i);
				Throwable expected = failsByDesign(i) ? own.apply(i) : null;
				if (thrown != expected) {
					String seen = (thrown != null) ? describe(thrown) : "returned normally instead of failing";
					foreign.merge(seen, 1, Integer::sum);
				}
				else if (thrown != null) {
					// a rollback that failed may ride on the order's own exception: dtx's, all the same
					for (Throwable suppressed : thrown.getSuppressed()) {
						foreign.merge("suppressed by the order's own: " + describe(suppressed), 1, Integer::sum);
					}
				}
			}
			return foreign;
		}

		// the type and first line of the exception, and of its root cause where that differs
		private static String describe(Throwable thrown) {
			Throwable root = thrown;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			String description = thrown.getClass().getName() + ": " + firstLine(thrown.getMessage());
			return (root != thrown) ? description + " (caused by " + root.getClass().getName() + ": "
					+ firstLine(root.getMessage()) + ")" : description;
		}

		private static String firstLine(String message) {
			if (message == null) {
				return "";
			}
			String line = message.lines().findFirst().orElse("");
			return (line.length() > 160) ? line.substring(0, 160) + "..." : line;
		}

	}

	/**
	 * How long settling took, and what was still unsettled when the wait gave up, if it
	 * did.
	 */
	public record Settling(Duration took, String unsettled) {

		public boolean settled() {
			return this.unsettled == null;
		}

		@Override
		public String toString() {
			return settled() ? "settled after " + this.took.toMillis() + " ms"
					: "still unsettled after " + this.took.toMillis() + " ms: " + this.unsettled;
		}

	}

}
