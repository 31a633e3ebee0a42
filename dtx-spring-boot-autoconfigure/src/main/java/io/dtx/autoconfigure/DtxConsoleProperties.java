package io.dtx.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console page, served under the actuator base path beside the endpoint {@code dtx}.
 *
 * <p>Bound under {@code dtx.console}.
 *
 * @param enabled Whether the console page is served at {actuator base path}/dtx-console/,
 * where the endpoint dtx is exposed and the actuator shares the application's port. Its
 * reads and writes go through the endpoint, under the endpoint's access and whatever
 * protects it.
 */
@ConfigurationProperties("dtx.console")
public record DtxConsoleProperties(@DefaultValue("false") boolean enabled) {

}
