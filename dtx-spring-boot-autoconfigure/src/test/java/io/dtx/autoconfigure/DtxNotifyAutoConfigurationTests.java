package io.dtx.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.notify.NotificationContext;
import io.dtx.notify.NotificationDispatcher;
import io.dtx.notify.NotificationEndpoint;
import io.dtx.notify.NotificationEndpoints;
import io.dtx.notify.NotificationHandler;
import io.dtx.notify.NotificationHandlers;
import io.dtx.notify.NotificationMetrics;
import io.dtx.notify.NotificationQuery;
import io.dtx.notify.NotificationReceiver;
import io.dtx.notify.NotificationReconciler;
import io.dtx.notify.NotificationRetention;
import io.dtx.notify.Notifications;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The notifications' auto-configuration: what it sets up, when it backs off, which beans
 * of the application's win, wrong wiring of handlers failing start-up, and the keys of
 * an endpoint and a sender known to the unknown-keys report.
 */
@ExtendWith(OutputCaptureExtension.class)
class DtxNotifyAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, DtxSchemaAutoConfiguration.class,
			DtxCoreAutoConfiguration.class, DtxNotifyAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "dtx.recovery.enabled=false");

	@Test
	void setsUpNotificationsTheDispatcherAndTheEndpointsOfThePropertiesWithoutTheCoordinator() {
		this.contextRunner
			.withPropertyValues("dtx.coordinator.enabled=false", "dtx.notify.endpoints.shop.url=http://shop/notify",
					"dtx.notify.endpoints.shop.secret=s3cret", "dtx.notify.endpoints.shop.schedule=1s,2s",
					"dtx.notify.endpoints.shop.read-timeout=3s", "dtx.notify.endpoints.bank.url=http://bank/n",
					"dtx.notify.endpoints.bank.secret=other")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(Notifications.class)
					.hasSingleBean(NotificationDispatcher.class)
					.hasSingleBean(NotificationHandlers.class)
					.doesNotHaveBean(NotificationReceiver.class)
					.doesNotHaveBean(GlobalTransactionLog.class);
				NotificationEndpoints endpoints = context.getBean(NotificationEndpoints.class);
				assertThat(endpoints.find("shop")).isEqualTo(new NotificationEndpoint(URI.create("http://shop/notify"),
						"s3cret", List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofSeconds(3)));
				assertThat(endpoints.find("bank")).isEqualTo(new NotificationEndpoint(URI.create("http://bank/n"),
						"other"));
				assertThat(endpoints.find("nobody")).isNull();
			});
	}

	@Test
	void defaultsAreWeChatPaysSchedule() {
		this.contextRunner.run((context) -> {
			DtxNotifyProperties notify = context.getBean(DtxNotifyProperties.class);
			assertThat(notify.schedule()).hasSize(15);
			assertThat(notify.schedule().stream().reduce(Duration.ZERO, Duration::plus))
				.isEqualTo(Duration.ofHours(24).plusMinutes(4));
			assertThat(notify.maxConcurrencyPerEndpoint()).isEqualTo(4);
			assertThat(notify.receiver().tolerance()).isEqualTo(Duration.ofMinutes(5));
		});
	}

	@Test
	void notifyNeedsATransactionAndWritesOneNotificationPerId() {
		this.contextRunner.withPropertyValues("dtx.notify.dispatcher-enabled=false").run((context) -> {
			Notifications notifications = context.getBean(Notifications.class);
			assertThatExceptionOfType(IllegalTransactionStateException.class)
				.isThrownBy(() -> notifications.notify("shop", "PAID", "payload"))
				.withMessageContaining("needs an active transaction");
			TransactionTemplate transaction = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			Boolean first = transaction.execute((status) -> notifications.notify("p-1", "shop", "PAID", "first"));
			Boolean second = transaction.execute((status) -> notifications.notify("p-1", "shop", "PAID", "second"));
			assertThat(first).isTrue();
			assertThat(second).isFalse();
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForList("select payload from dtx_notification", String.class)).containsExactly("\"first\"");
		});
	}

	@Test
	void instancesThatOnlyWriteNeedNoDispatcher() {
		this.contextRunner.withPropertyValues("dtx.notify.dispatcher-enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(Notifications.class)
				.doesNotHaveBean(NotificationDispatcher.class));
	}

	@Test
	void endpointsOfTheApplicationReplaceThoseOfTheProperties() {
		NotificationEndpoints merchants = (name) -> new NotificationEndpoint(URI.create("http://" + name), "x");
		this.contextRunner.withBean(NotificationEndpoints.class, () -> merchants)
			.withPropertyValues("dtx.notify.endpoints.shop.url=http://shop/notify",
					"dtx.notify.endpoints.shop.secret=s3cret")
			.run((context) -> assertThat(context.getBean(NotificationEndpoints.class)).isSameAs(merchants));
	}

	@Test
	void endpointWithoutSecretFailsStartUp() {
		this.contextRunner.withPropertyValues("dtx.notify.endpoints.shop.url=http://shop/notify")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("dtx.notify.endpoints.shop needs both a url and a secret"));
	}

	@Test
	void leaseShorterThanAnAttemptFailsStartUp() {
		this.contextRunner.withPropertyValues("dtx.notify.lease=10s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("dtx.notify.lease"));
	}

	@Test
	void backsOffWhenTurnedOffOrWithoutItsParts() {
		this.contextRunner.withPropertyValues("dtx.notify.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Notifications.class)
				.doesNotHaveBean(NotificationHandlers.class));
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Notifications.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(RestClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Notifications.class));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxNotifyAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Notifications.class));
	}

	@Test
	void servesTheReceiverInAServletWebApplication() {
		webContextRunner().run((context) -> assertThat(context).hasSingleBean(NotificationReceiver.class));
		webContextRunner().withPropertyValues("dtx.notify.receiver.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NotificationReceiver.class));
	}

	@Test
	void servesTheQueryInAServletWebApplicationUnlessTurnedOff() {
		webContextRunner().run((context) -> assertThat(context).hasSingleBean(NotificationQuery.class));
		webContextRunner().withPropertyValues("dtx.notify.query.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NotificationQuery.class)
				.hasSingleBean(NotificationReceiver.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(NotificationQuery.class));
	}

	@Test
	void retentionRunsUnlessTurnedOffAndMetricsWhereAMeterRegistryIsThere() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(NotificationRetention.class)
			.doesNotHaveBean(NotificationMetrics.class));
		this.contextRunner.withPropertyValues("dtx.notify.retention-enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NotificationRetention.class));
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(NotificationMetrics.class));
	}

	@Test
	void reconciliationIsOffUnlessTurnedOnWithItsSenders() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(NotificationReconciler.class));
		this.contextRunner
			.withPropertyValues("dtx.notify.reconcile.enabled=true", "dtx.notify.receiver.secrets.bank=s",
					"dtx.notify.reconcile.senders.bank.url=http://bank/dtx",
					"dtx.notify.reconcile.senders.bank.endpoint=shop")
			.run((context) -> assertThat(context).hasSingleBean(NotificationReconciler.class));
	}

	@Test
	void reconciliationWithoutSendersOrWithoutASecretFailsStartUp() {
		this.contextRunner.withPropertyValues("dtx.notify.reconcile.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("dtx.notify.reconcile.senders names no sender"));
		this.contextRunner
			.withPropertyValues("dtx.notify.reconcile.enabled=true",
					"dtx.notify.reconcile.senders.bank.url=http://bank/dtx",
					"dtx.notify.reconcile.senders.bank.endpoint=shop")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("dtx.notify.receiver.secrets.bank"));
		this.contextRunner
			.withPropertyValues("dtx.notify.reconcile.enabled=true", "dtx.notify.receiver.secrets.bank=s",
					"dtx.notify.reconcile.senders.bank.url=http://bank/dtx",
					"dtx.notify.reconcile.senders.bank.endpoint=shop", "dtx.notify.reconcile.page-size=5000")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("dtx.notify.reconcile.page-size must be 1 to 1000"));
	}

	@Test
	void findsHandlersWithAndWithoutContext() {
		this.contextRunner.withBean("merchant", Merchant.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NotificationHandlers.class).types()).containsExactlyInAnyOrder("PAID",
					"REFUNDED");
		});
	}

	@Test
	void twoHandlersOfOneTypeFailStartUpNamingBothMethods() {
		this.contextRunner.withBean("merchant", Merchant.class)
			.withBean("otherMerchant", OtherMerchant.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(BeanInitializationException.class)
				.hasMessageContaining("otherMerchant.alsoPaid")
				.hasMessageContaining("merchant.paid"));
	}

	@Test
	void handlerWithWrongParametersFailsStartUpNamingBeanAndMethod() {
		this.contextRunner.withBean("badMerchant", WrongParameters.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(BeanInitializationException.class)
				.hasMessageContaining("badMerchant.paid")
				.hasMessageContaining("must take the payload"));
		this.contextRunner.withBean("noPayload", NoPayload.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("noPayload.paid"));
	}

	@Test
	void knowsTheKeysOfAnEndpointAndOfASenderAndNamesAMisspeltOne(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxUnknownKeysAutoConfiguration.class))
			.withPropertyValues("dtx.notify.endpoints.shop.url=http://shop/n", "dtx.notify.endpoints.shop.secret=s",
					"dtx.notify.endpoints.shop.schedule=1s,2s", "dtx.notify.endpoints.shop.read-timeout=1s",
					"dtx.notify.receiver.secrets.acme-pay=s", "dtx.notify.receiver.tolerance=1m",
					"dtx.notify.max-concurrency-per-endpoint=2", "dtx.notify.reconcile.senders.acme-pay.url=http://a/dtx",
					"dtx.notify.reconcile.senders.acme-pay.endpoint=shop", "dtx.notify.query.tolerance=1m",
					"dtx.notify.keep-delivered=1d", "dtx.notify.endpoints.bank.secrit=s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Unknown configuration key 'dtx.notify.endpoints.bank.secrit'")
			.contains("the closest it has is 'dtx.notify.endpoints.bank.secret'");
		assertThat(output.toString().lines().filter((line) -> line.contains("Unknown configuration key")))
			.hasSize(1);
	}

	private WebApplicationContextRunner webContextRunner() {
		return new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
					"dtx.recovery.enabled=false");
	}

	record Paid(String orderId) {

	}

	static class Merchant {

		@NotificationHandler("PAID")
		public void paid(Paid paid) {
		}

		@NotificationHandler("REFUNDED")
		public void refunded(Paid paid, NotificationContext context) {
		}

	}

	static class OtherMerchant {

		@NotificationHandler("PAID")
		public void alsoPaid(Paid paid) {
		}

	}

	static class WrongParameters {

		@NotificationHandler("PAID")
		public void paid(Paid paid, String extra) {
		}

	}

	static class NoPayload {

		@NotificationHandler("PAID")
		public void paid() {
		}

	}

}
