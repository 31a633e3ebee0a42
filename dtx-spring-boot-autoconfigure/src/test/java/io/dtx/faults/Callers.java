package io.dtx.faults;

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
 */
final class Callers implements AutoCloseable {

	private final ExecutorService threads;

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger completed = new AtomicInteger();

	private volatile boolean finishing;

	private Callers(int threads, int max, IntFunction<Call> newCall, Consumer<Call> place) {
		this.threads = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.threads.execute(() -> {
				int number;
				while (!this.finishing && (number = this.next.getAndIncrement()) < max) {
					Call call = newCall.apply(number);
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

	static Callers start(int threads, int max, IntFunction<Call> newCall, Consumer<Call> place) {
		return new Callers(threads, max, newCall, place);
	}

	int completed() {
		return this.completed.get();
	}

	/**
	 * Lets the calls under way end, starts no other, and returns every call made.
	 */
	List<Call> finish(Duration timeout) throws InterruptedException {
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

}
