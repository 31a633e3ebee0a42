package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XA transactions across services: {@code @XaGlobalTransaction} and {@code @XaBranch}.
 *
 * <p>Bound under {@code dtx.xa.global}.
 *
 * @param enabled Whether @XaGlobalTransaction and @XaBranch methods are intercepted.
 * @param defaultTimeout Timeout of an @XaGlobalTransaction that declares none. Its branches
 * hold their row locks until the decision, so a short one keeps a stuck transaction from
 * blocking others for long.
 */
@ConfigurationProperties("dtx.xa.global")
public record DtxXaGlobalProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10s") Duration defaultTimeout) {

}
