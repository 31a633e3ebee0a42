package io.dtx.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two racers started together, for the race tests: each side waits on one latch, then
 * spins for a random tenth of a millisecond at most, so that either may come first.
 */
public final class Race implements AutoCloseable {

	private final ExecutorService racers = Executors.newFixedThreadPool(2);

	/**
	 * Runs both sides at once and returns their outcomes, in order; a side that throws
	 * or hangs adds its exception to {@code errors} and "ERROR" to the outcomes.
	 */
	public List<Object> run(List<Throwable> errors, Callable<?> first, Callable<?> second)
			throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> sides = new ArrayList<>();
		for (Callable<?> side : List.of(first, second)) {
			sides.add(this.racers.submit(() -> {
				start.await();
				jitter();
				return side.call();
			}));
		}
		start.countDown();
		List<Object> outcomes = new ArrayList<>();
		for (Future<?> side : sides) {
			try {
				outcomes.add(side.get(30, TimeUnit.SECONDS));
			}
			catch (ExecutionException | TimeoutException ex) {
				errors.add((ex.getCause() != null) ? ex.getCause() : ex);
				outcomes.add("ERROR");
			}
		}
		return outcomes;
	}

	private static void jitter() {
		long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(100_000);
		while (System.nanoTime() < until) {
			Thread.onSpinWait();
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.racers.shutdownNow();
		this.racers.awaitTermination(10, TimeUnit.SECONDS);
	}

}
