package io.dtx.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import io.dtx.notify.NotificationDispatcher;
import io.dtx.notify.NotificationEndpoint;
import io.dtx.notify.NotificationEndpoints;
import io.dtx.notify.NotificationHandlers;
import io.dtx.notify.NotificationReceiver;
import io.dtx.notify.Notifications;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Best-effort notification: {@link Notifications} for the sender, its dispatcher, the
 * endpoints of {@code dtx.notify.endpoints}, and the receiver's endpoint and handlers.
 * Needs no coordinator, only dtx's tables.
 */
@AutoConfiguration(after = DtxTablesAutoConfiguration.class,
		afterName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.notify.enabled", matchIfMissing = true)
@ConditionalOnClass(RestClient.class)
// not on DtxTables: the configuration that imports the tables cannot wait for them
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class })
@EnableConfigurationProperties(DtxNotifyProperties.class)
@Import(DtxTablesAutoConfiguration.class)
public final class DtxNotifyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NotificationEndpoints dtxNotificationEndpoints(DtxNotifyProperties notify) {
		Map<String, NotificationEndpoint> endpoints = new LinkedHashMap<>();
		notify.endpoints().forEach((name, endpoint) -> {
			if (endpoint.url() == null || endpoint.secret() == null || endpoint.secret().isEmpty()) {
				throw new IllegalStateException("dtx.notify.endpoints." + name + " needs both a url and a secret");
			}
			endpoints.put(name, new NotificationEndpoint(endpoint.url(), endpoint.secret(), endpoint.schedule(),
					endpoint.readTimeout()));
		});
		return NotificationEndpoints.of(endpoints);
	}

	@Bean
	@ConditionalOnMissingBean
	Notifications dtxNotifications(DtxTables tables, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<NotificationDispatcher> dispatcher) {
		return new Notifications(tables, jsonMapper.getIfAvailable(JsonMapper::new),
				() -> dispatcher.ifAvailable(NotificationDispatcher::wakeUp));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.notify.dispatcher-enabled", matchIfMissing = true)
	NotificationDispatcher dtxNotificationDispatcher(DtxTables tables, PlatformTransactionManager transactionManager,
			NotificationEndpoints endpoints, ObjectProvider<JsonMapper> jsonMapper, ThreadPoolTaskScheduler dtxScheduler,
			DtxNotifyProperties notify) {
		return new NotificationDispatcher(tables, transactionManager, endpoints,
				jsonMapper.getIfAvailable(JsonMapper::new), dtxScheduler,
				new NotificationDispatcher.Settings(notify.schedule(), notify.connectTimeout(), notify.readTimeout(),
						notify.maxConcurrencyPerEndpoint(), notify.threads(), notify.batchSize(), notify.pollInterval(),
						notify.lease()));
	}

	// static: a post-processor, made before the beans whose handlers it finds
	@Bean
	@ConditionalOnMissingBean
	static NotificationHandlers dtxNotificationHandlers() {
		return new NotificationHandlers();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnBooleanProperty(name = "dtx.notify.receiver.enabled", matchIfMissing = true)
	static class ReceiverConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NotificationReceiver dtxNotificationReceiver(NotificationHandlers handlers, DtxTables tables,
				PlatformTransactionManager transactionManager, ObjectProvider<JsonMapper> jsonMapper,
				DtxNotifyProperties notify) {
			return new NotificationReceiver(handlers, tables, transactionManager,
					jsonMapper.getIfAvailable(JsonMapper::new), notify.receiver().secrets(),
					notify.receiver().tolerance());
		}

	}

}
