package io.dtx.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Callers making calls one after another, at most a bounded number in all, until told to
 * finish; each call records what the caller heard.
 *
 * @param <C> the calls, which record what their callers heard
 */
public final class Callers<C extends Callers.Outcome> implements AutoCloseable {

	private final ExecutorService threads;

	private final List<C> calls = new CopyOnWriteArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger completed = new AtomicInteger();

	private volatile boolean finishing;

	private Callers(int threads, int max, IntFunction<C> newCall, Consumer<C> place) {
		this.threads = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.threads.execute(() -> {
				int number;
				while (!this.finishing && (number = this.next.getAndIncrement()) < max) {
					C call = newCall.apply(number);
					try {
						place.accept(call);
						call.heardReturn();
					}
					catch (Throwable ex) {
						call.heard(ex);
					}
					this.calls.add(call);
					this.completed.incrementAndGet();
				}
			});
		}
	}

	public static <C extends Outcome> Callers<C> start(int threads, int max, IntFunction<C> newCall,
			Consumer<C> place) {
		return new Callers<>(threads, max, newCall, place);
	}

	public int completed() {
		return this.completed.get();
	}

	/**
	 * Lets the calls under way end, starts no other, and returns every call made.
	 */
	public List<C> finish(Duration timeout) throws InterruptedException {
		this.finishing = true;
		this.threads.shutdown();
		if (!this.threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("calls still under way after " + timeout + ": a caller hangs");
		}
		return List.copyOf(this.calls);
	}

	@Override
	public void close() {
		this.finishing = true;
		this.threads.shutdownNow();
	}

	/**
	 * A call that records what its caller heard.
	 */
	public interface Outcome {

		/** The call returned normally. */
		void heardReturn();

		/** The call threw {@code thrown}. */
		void heard(Throwable thrown);

	}

}
