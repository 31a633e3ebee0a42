package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sagas: forward steps compensated in reverse when the saga fails.
 *
 * <p>Bound under {@code dtx.saga}.
 */
@ConfigurationProperties("dtx.saga")
public class DtxSagaProperties {

	/**
	 * Whether @Saga and @SagaStep methods are intercepted.
	 */
	private boolean enabled = true;

	/**
	 * Timeout of a @Saga that declares none; a saga still running then is
	 * compensated.
	 */
	private Duration defaultTimeout = Duration.ofSeconds(60);

	private final Compensation compensation = new Compensation();

	private final Step step = new Step();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public Compensation getCompensation() {
		return this.compensation;
	}

	public Step getStep() {
		return this.step;
	}

	/**
	 * Retries of compensations, made by recovery, on any instance.
	 */
	public static class Compensation {

		/**
		 * Attempts at compensating a saga before it is marked FAILED and left for an
		 * operator to retry (Sagas#retry).
		 */
		private int maxAttempts = 10;

		/**
		 * Delay before the second attempt; it doubles per attempt.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxBackoff = Duration.ofMinutes(5);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * Retries of forward steps, in the saga's own thread, for steps that declare no
	 * maxAttempts of their own.
	 */
	public static class Step {

		/**
		 * How many times a forward step runs at most before its failure reaches the
		 * saga; 1 runs it once.
		 */
		private int maxAttempts = 1;

		/**
		 * Delay before a step's second attempt; it doubles per attempt.
		 */
		private Duration backoff = Duration.ofMillis(100);

		/**
		 * Longest delay between two attempts of a step.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getBackoff() {
			return this.backoff;
		}

		public void setBackoff(Duration backoff) {
			this.backoff = backoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

}
