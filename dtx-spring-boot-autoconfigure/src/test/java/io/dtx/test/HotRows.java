package io.dtx.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

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
