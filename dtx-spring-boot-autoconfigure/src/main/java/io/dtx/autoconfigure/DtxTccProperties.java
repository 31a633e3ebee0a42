package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TCC transactions.
 *
 * <p>Bound under {@code dtx.tcc}.
 *
 * @param enabled Whether @TccTransaction and @TccTry methods are intercepted.
 * @param defaultTimeout Timeout of a @TccTransaction that declares none.
 * @param asyncPhaseTwo Whether a @TccTransaction returns as soon as its decision is durable,
 * phase two running on dtx's executor. Its effects are then visible a moment after the
 * method returns; recovery finishes what a crash interrupts either way.
 */
@ConfigurationProperties("dtx.tcc")
public record DtxTccProperties(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration defaultTimeout,
		@DefaultValue("false") boolean asyncPhaseTwo) {

}
