package io.dtx.autoconfigure;

import io.dtx.ops.DtxConsole;
import io.dtx.ops.DtxEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The console page, with {@code dtx.console.enabled=true}, in a servlet web application
 * whose endpoint {@code dtx} is available (exposed, its access not {@code none}): served at
 * {@code {actuator base path}/dtx-console/} on the application's own port, or, with
 * {@code management.server.port} set, on that port beside the endpoint
 * ({@link DtxConsoleManagementContextConfiguration}).
 */
@AutoConfiguration(after = { DtxOpsAutoConfiguration.class, EndpointAutoConfiguration.class,
		WebEndpointAutoConfiguration.class })
@ConditionalOnDtxEnabled
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, WebEndpointProperties.class })
@ConditionalOnBooleanProperty("dtx.console.enabled")
@ConditionalOnBean(DtxEndpoint.class)
@ConditionalOnManagementPort(ManagementPortType.SAME)
@EnableConfigurationProperties(DtxConsoleProperties.class)
public final class DtxConsoleAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DtxConsole dtxConsole(ObjectProvider<WebEndpointProperties> web, ObjectProvider<EndpointAccessResolver> access,
			Environment environment) {
		return console(web, access, environment);
	}

	// the same page wherever it is served
	static DtxConsole console(ObjectProvider<WebEndpointProperties> web, ObjectProvider<EndpointAccessResolver> access,
			Environment environment) {
		String basePath = web.getIfAvailable(WebEndpointProperties::new).getBasePath();
		Access dtx = access.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment))
			.accessFor(EndpointId.of("dtx"), Access.UNRESTRICTED);
		return new DtxConsole(basePath, dtx == Access.UNRESTRICTED);
	}

}
