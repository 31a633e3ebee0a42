package io.dtx.autoconfigure;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The thread pools dtx runs work on off the caller's thread.
 */
final class DtxExecutors {

	private DtxExecutors() {
	}

	static ThreadPoolTaskExecutor executor(String threadNamePrefix, int threads) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix(threadNamePrefix);
		executor.setCorePoolSize(threads);
		executor.setDaemon(true);
		return executor;
	}

}
