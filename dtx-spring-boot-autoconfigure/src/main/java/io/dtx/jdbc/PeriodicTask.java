package io.dtx.jdbc;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Work that runs every so often while the application runs. A failing pass is logged and
 * the next one tries again: the database may be away for a while.
 */
public abstract class PeriodicTask implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PeriodicTask.class);

	private final TaskScheduler scheduler;

	private final Duration interval;

	private final Duration initialDelay;

	private volatile @Nullable ScheduledFuture<?> task;

	protected PeriodicTask(TaskScheduler scheduler, Duration interval, Duration initialDelay) {
		this.scheduler = scheduler;
		this.interval = interval;
		this.initialDelay = initialDelay;
	}

	/**
	 * One pass.
	 */
	protected abstract void runOnce();

	@Override
	public void start() {
		// the first pass one interval after start: the application finishes starting first, and
		// a caller that runs a pass itself (a test with its own clock) is not raced by this one
		this.task = this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				runOnce();
			}
			catch (RuntimeException ex) {
				logger.warn(getClass().getSimpleName() + " pass failed, the next one tries again: " + ex, ex);
			}
		}, this.scheduler.getClock().instant().plus(this.initialDelay), this.interval);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.task;
		if (running != null) {
			running.cancel(false);
			this.task = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
