package io.dtx.autoconfigure;

import io.dtx.ops.DtxConsole;
import io.dtx.ops.DtxEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The console page in the management context of its own that Spring Boot starts when
 * {@code management.server.port} differs from the application's: served there, under
 * the actuator base path, beside the endpoint it calls, and not on the application's
 * port. Registered in {@code ManagementContextConfiguration.imports}, as Spring Boot's
 * own child-context configurations are.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnDtxEnabled
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty("dtx.console.enabled")
@ConditionalOnBean(DtxEndpoint.class)
public final class DtxConsoleManagementContextConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DtxConsole dtxConsole(ObjectProvider<WebEndpointProperties> web, ObjectProvider<EndpointAccessResolver> access,
			Environment environment) {
		return DtxConsoleAutoConfiguration.console(web, access, environment);
	}

}
