package io.dtx.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work that runs every interval while the application runs, through failing passes, until
 * stopped.
 */
class PeriodicTaskTests {

	private final RecordingScheduler scheduler = new RecordingScheduler();

	@AfterEach
	void shutdown() {
		this.scheduler.shutdown();
	}

	@Test
	void runsRepeatedlyAtItsInterval() throws InterruptedException {
		CountDownLatch threePasses = new CountDownLatch(3);
		PeriodicTask task = task(Duration.ofMillis(10), Duration.ZERO, threePasses::countDown);
		task.start();
		assertThat(threePasses.await(10, TimeUnit.SECONDS)).isTrue();
		task.stop();
	}

	@Test
	void failingPassDoesNotStopTheNextOnes() throws InterruptedException {
		AtomicInteger passes = new AtomicInteger();
		CountDownLatch afterFailures = new CountDownLatch(1);
		PeriodicTask task = task(Duration.ofMillis(10), Duration.ZERO, () -> {
			if (passes.incrementAndGet() <= 2) {
				throw new IllegalStateException("database away");
			}
			afterFailures.countDown();
		});
		task.start();
		assertThat(afterFailures.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(passes.get()).isGreaterThanOrEqualTo(3);
		task.stop();
	}

	@Test
	void firstPassIsScheduledOneInitialDelayAfterStartByTheSchedulersClock() {
		Instant now = Instant.parse("2026-05-01T12:00:00Z");
		this.scheduler.setClock(Clock.fixed(now, ZoneOffset.UTC));
		PeriodicTask task = task(Duration.ofSeconds(30), Duration.ofHours(1), () -> {
		});
		task.start();
		assertThat(this.scheduler.startTime.get()).isEqualTo(now.plus(Duration.ofHours(1)));
		assertThat(this.scheduler.delay.get()).isEqualTo(Duration.ofSeconds(30));
		task.stop();
	}

	@Test
	void isRunningBetweenStartAndStop() {
		PeriodicTask task = task(Duration.ofHours(1), Duration.ofHours(1), () -> {
		});
		assertThat(task.isRunning()).isFalse();
		task.start();
		assertThat(task.isRunning()).isTrue();
		task.stop();
		assertThat(task.isRunning()).isFalse();
	}

	@Test
	void stopCancelsTheScheduleWithoutInterruptingAPass() throws Exception {
		CountDownLatch inPass = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Boolean> interrupted = new AtomicReference<>();
		PeriodicTask task = task(Duration.ofMillis(10), Duration.ZERO, () -> {
			inPass.countDown();
			try {
				release.await();
				interrupted.compareAndSet(null, false);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		task.start();
		assertThat(inPass.await(10, TimeUnit.SECONDS)).isTrue();
		task.stop();
		ScheduledFuture<?> future = this.scheduler.future.get();
		assertThat(future.isCancelled()).as("no further pass is scheduled").isTrue();
		release.countDown();
		this.scheduler.getScheduledExecutor().shutdown();
		assertThat(this.scheduler.getScheduledExecutor().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted.get()).as("the running pass finished undisturbed").isFalse();
	}

	@Test
	void stopBeforeStartIsHarmless() {
		PeriodicTask task = task(Duration.ofHours(1), Duration.ofHours(1), () -> {
		});
		task.stop();
		assertThat(task.isRunning()).isFalse();
	}

	private PeriodicTask task(Duration interval, Duration initialDelay, Runnable pass) {
		return new PeriodicTask(this.scheduler, interval, initialDelay) {

			@Override
			protected void runOnce() {
				pass.run();
			}

		};
	}

	/**
	 * A scheduler that keeps what it was asked to schedule.
	 */
	static class RecordingScheduler extends ThreadPoolTaskScheduler {

		final AtomicReference<Instant> startTime = new AtomicReference<>();

		final AtomicReference<Duration> delay = new AtomicReference<>();

		final AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();

		RecordingScheduler() {
			setPoolSize(1);
			initialize();
		}

		@Override
		public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
			this.startTime.set(startTime);
			this.delay.set(delay);
			ScheduledFuture<?> scheduled = super.scheduleWithFixedDelay(task, startTime, delay);
			this.future.set(scheduled);
			return scheduled;
		}

	}

}
