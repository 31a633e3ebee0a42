package io.dtx.notify;

import io.dtx.notify.NotificationTestApps.Merchant;
import io.dtx.notify.NotificationTestApps.MerchantApplication;
import io.dtx.notify.NotificationTestApps.PaymentApplication;
import io.dtx.tcc.crash.CrashPoints;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The payment service or the merchant of the notification tests in a JVM of its own,
 * configured by command-line properties, which halts at the point the
 * {@code dtx.crash.point} system property names, as {@code kill -9} would end it there: no
 * shutdown hook, no finally block, nothing of what follows the point runs. It prints
 * {@link CrashPoints#reached(String)} first, so that a test knows where it died. The
 * points are test beans around dtx, none in dtx's code.
 */
public final class NotificationCrashMain {

	/** The sender, after its claim of the notification committed, before it posts it. */
	static final String SENDER_AFTER_CLAIM = "sender-after-claim";

	/** The sender, after the receiver answered 2xx, before it records DELIVERED. */
	static final String SENDER_AFTER_ANSWER = "sender-after-answer";

	/** The receiver, after its transaction (inbox entry and handler) committed, before it answers. */
	static final String RECEIVER_AFTER_COMMIT = "receiver-after-commit";

	/** The line printed once the application is started. */
	static final String STARTED = "NOTIFY-CRASH started";

	private static final String POINT = "dtx.crash.point";

	private NotificationCrashMain() {
	}

	public static void main(String[] args) {
		boolean sender = System.getProperty(POINT, "").startsWith("sender");
		new SpringApplicationBuilder(sender ? PaymentApplication.class : MerchantApplication.class, CrashPoint.class)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		System.out.println(STARTED);
		System.out.flush();
	}

	static void halt(String point) {
		System.out.println(CrashPoints.reached(point));
		System.out.flush();
		Runtime.getRuntime().halt(137);
	}

	/**
	 * The crash point of {@code dtx.crash.point}, and no other.
	 */
	@Configuration(proxyBeanMethods = false)
	static class CrashPoint {

		// the dispatcher resolves the endpoint's name after its claim committed and before the post
		@Bean
		@ConditionalOnProperty(name = POINT, havingValue = SENDER_AFTER_CLAIM)
		static BeanPostProcessor haltWhenAnEndpointIsResolved() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof NotificationEndpoints) {
						return (NotificationEndpoints) (name) -> {
							halt(SENDER_AFTER_CLAIM);
							return null;
						};
					}
					return bean;
				}

			};
		}

		// told of a 2xx before the dispatcher records it; primary over the metrics' observer
		@Bean
		@Primary
		@ConditionalOnProperty(name = POINT, havingValue = SENDER_AFTER_ANSWER)
		DispatchObserver haltWhenDelivered() {
			return new DispatchObserver() {

				@Override
				public void delivered() {
					halt(SENDER_AFTER_ANSWER);
				}

			};
		}

		@Bean
		@ConditionalOnProperty(name = POINT, havingValue = RECEIVER_AFTER_COMMIT)
		ApplicationRunner haltAfterTheReceiversCommit(Merchant merchant) {
			return (arguments) -> merchant.afterCommit = () -> halt(RECEIVER_AFTER_COMMIT);
		}

	}

}
