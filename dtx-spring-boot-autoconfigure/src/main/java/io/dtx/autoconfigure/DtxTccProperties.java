package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TCC transactions.
 *
 * <p>Bound under {@code dtx.tcc}.
 */
@ConfigurationProperties("dtx.tcc")
public class DtxTccProperties {

	/**
	 * Whether @TccTransaction and @TccTry methods are intercepted.
	 */
	private boolean enabled = true;

	/**
	 * Timeout of a @TccTransaction that declares none.
	 */
	private Duration defaultTimeout = Duration.ofSeconds(30);

	/**
	 * Whether a @TccTransaction returns as soon as its decision is durable, phase two
	 * running on dtx's executor. Its effects are then visible a moment after the
	 * method returns; recovery finishes what a crash interrupts either way.
	 */
	private boolean asyncPhaseTwo;

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

	public boolean isAsyncPhaseTwo() {
		return this.asyncPhaseTwo;
	}

	public void setAsyncPhaseTwo(boolean asyncPhaseTwo) {
		this.asyncPhaseTwo = asyncPhaseTwo;
	}

}
