package io.dtx.autoconfigure;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A warning at start-up for each key under {@code dtx} that dtx does not know, naming
 * the closest key it knows. Whether or not dtx is enabled: a misspelt
 * {@code dtx.enabled} is the first key to report.
 */
@AutoConfiguration
public final class DtxUnknownKeysAutoConfiguration {

	@Bean
	static SmartInitializingSingleton dtxUnknownKeysReport(Environment environment) {
		DtxUnknownKeys unknownKeys = DtxUnknownKeys.fromMetadata(DtxUnknownKeysAutoConfiguration.class.getClassLoader());
		return () -> unknownKeys.report(environment);
	}

}
