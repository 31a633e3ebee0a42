package io.dtx.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import io.dtx.core.DtxWiringException;
import io.dtx.jdbc.DtxTables;
import io.dtx.notify.DispatchObserver;
import io.dtx.notify.NotificationDispatcher;
import io.dtx.notify.NotificationEndpoint;
import io.dtx.notify.NotificationEndpoints;
import io.dtx.notify.NotificationHandlers;
import io.dtx.notify.NotificationMetrics;
import io.dtx.notify.NotificationQuery;
import io.dtx.notify.NotificationReceiver;
import io.dtx.notify.NotificationReconciler;
import io.dtx.notify.NotificationRetention;
import io.dtx.notify.Notifications;
import io.micrometer.core.instrument.MeterRegistry;
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
 * endpoints of {@code dtx.notify.endpoints}, the query they reconcile with, retention and
 * metrics; the receiver's endpoint, handlers and reconciliation job. Needs no coordinator,
 * only dtx's tables.
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
				throw new DtxWiringException("dtx.notify.endpoints." + name + " needs both a url and a secret",
						"Set dtx.notify.endpoints." + name + ".url and dtx.notify.endpoints." + name
								+ ".secret (the secret the receiver checks the signature with).");
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
			DtxNotifyProperties notify, ObjectProvider<DispatchObserver> observer) {
		return new NotificationDispatcher(tables, transactionManager, endpoints,
				jsonMapper.getIfAvailable(JsonMapper::new), dtxScheduler,
				new NotificationDispatcher.Settings(notify.schedule(), notify.connectTimeout(), notify.readTimeout(),
						notify.maxConcurrencyPerEndpoint(), notify.threads(), notify.batchSize(), notify.pollInterval(),
						notify.lease()),
				observer.getIfUnique(() -> DispatchObserver.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.notify.retention-enabled", matchIfMissing = true)
	NotificationRetention dtxNotificationRetention(DtxTables tables, ThreadPoolTaskScheduler dtxScheduler,
			DtxNotifyProperties notify) {
		return new NotificationRetention(tables, dtxScheduler, new NotificationRetention.Settings(
				notify.keepDelivered(), notify.keepReceived(), notify.retentionInterval()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.notify.reconcile.enabled")
	NotificationReconciler dtxNotificationReconciler(NotificationHandlers handlers, DtxTables tables,
			PlatformTransactionManager transactionManager, ObjectProvider<JsonMapper> jsonMapper,
			ThreadPoolTaskScheduler dtxScheduler, DtxNotifyProperties notify) {
		DtxNotifyProperties.Reconcile reconcile = notify.reconcile();
		if (reconcile.senders().isEmpty()) {
			throw new DtxWiringException("dtx.notify.reconcile.enabled is true but dtx.notify.reconcile.senders "
					+ "names no sender to reconcile with", "Declare a sender under dtx.notify.reconcile.senders.<name> "
							+ "(url, endpoint), or set dtx.notify.reconcile.enabled=false.");
		}
		Map<String, NotificationReconciler.Sender> senders = new LinkedHashMap<>();
		reconcile.senders().forEach((name, sender) -> {
			String secret = notify.receiver().secrets().get(name);
			if (sender.url() == null || sender.endpoint() == null || secret == null || secret.isEmpty()) {
				throw new DtxWiringException("dtx.notify.reconcile.senders." + name + " needs a url and an "
						+ "endpoint, and dtx.notify.receiver.secrets." + name + " the secret shared with it",
						"Set dtx.notify.reconcile.senders." + name + ".url, .endpoint and dtx.notify.receiver.secrets."
								+ name + ".");
			}
			senders.put(name, new NotificationReconciler.Sender(sender.url(), sender.endpoint(), secret));
		});
		return new NotificationReconciler(handlers, tables, transactionManager,
				jsonMapper.getIfAvailable(JsonMapper::new), dtxScheduler, senders,
				new NotificationReconciler.Settings(reconcile.interval(), reconcile.lookBack(), reconcile.pageSize(),
						reconcile.connectTimeout(), reconcile.readTimeout(), notify.receiver().tolerance()));
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
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "dtx.notify.receiver.enabled", matchIfMissing = true)
		NotificationReceiver dtxNotificationReceiver(NotificationHandlers handlers, DtxTables tables,
				PlatformTransactionManager transactionManager, ObjectProvider<JsonMapper> jsonMapper,
				DtxNotifyProperties notify) {
			return new NotificationReceiver(handlers, tables, transactionManager,
					jsonMapper.getIfAvailable(JsonMapper::new), notify.receiver().secrets(),
					notify.receiver().tolerance());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "dtx.notify.query.enabled", matchIfMissing = true)
		NotificationQuery dtxNotificationQuery(DtxTables tables, NotificationEndpoints endpoints,
				ObjectProvider<JsonMapper> jsonMapper, DtxNotifyProperties notify) {
			return new NotificationQuery(tables, endpoints, jsonMapper.getIfAvailable(JsonMapper::new),
					notify.query().tolerance());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMeterRegistry
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NotificationMetrics dtxNotificationMetrics(DtxTables tables, MeterRegistry meterRegistry) {
			return new NotificationMetrics(tables, meterRegistry);
		}

	}

}
