package io.dtx.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Best-effort notification: the endpoints this service notifies, the dispatcher that
 * posts to them on a retry schedule, and the receiver of notifications from others.
 *
 * <p>Bound under {@code dtx.notify}.
 *
 * @param enabled Whether notifications, their dispatcher and their receiver are set up.
 * @param dispatcherEnabled Whether this instance sends notifications. Instances that only
 * write them may leave it to others; any number of instances may send from one table.
 * @param schedule Delays between the attempts at a notification after the first, for
 * endpoints without a schedule of their own: after the last one fails the notification is
 * exhausted. WeChat Pay's, about 24 hours.
 * @param connectTimeout How long an attempt waits to connect to an endpoint.
 * @param readTimeout How long an attempt waits for an endpoint's answer, for endpoints
 * without one of their own. An answer other than 2xx within it fails the attempt.
 * @param maxConcurrencyPerEndpoint Most attempts on their way to one endpoint at once: a
 * slow or dead endpoint holds at most this many sending threads.
 * @param threads Sending threads of this instance: most attempts on their way at once,
 * all endpoints together.
 * @param batchSize Most notifications one claim of the dispatcher takes.
 * @param pollInterval Time between two looks for due notifications when no commit or
 * finished attempt wakes the dispatcher.
 * @param lease How long a notification claimed by a dispatcher stays out of the others'
 * reach: an attempt cut short by a crash is made again after it. At least twice
 * connect-timeout plus read-timeout; a longer read timeout of an endpoint is cut to half
 * the lease less the connect timeout.
 * @param endpoints The endpoints notified, by name, unless the application has a
 * NotificationEndpoints bean of its own.
 * @param receiver How notifications from other services are received.
 */
@ConfigurationProperties("dtx.notify")
public record DtxNotifyProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("true") boolean dispatcherEnabled,
		@DefaultValue({ "15s", "15s", "30s", "3m", "10m", "20m", "30m", "30m", "30m", "60m", "3h", "3h", "3h", "6h",
				"6h" }) List<Duration> schedule,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("4") int maxConcurrencyPerEndpoint, @DefaultValue("16") int threads,
		@DefaultValue("100") int batchSize, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("2m") Duration lease, @DefaultValue Map<String, Endpoint> endpoints,
		@DefaultValue Receiver receiver) {

	/**
	 * One endpoint notified.
	 *
	 * @param url URL the notifications are posted to.
	 * @param secret Secret that signs them, shared with the receiver.
	 * @param schedule Delays between attempts after the first; dtx.notify.schedule when
	 * unset.
	 * @param readTimeout How long an attempt waits for the answer; dtx.notify.read-timeout
	 * when unset.
	 */
	public record Endpoint(@Nullable URI url, @Nullable String secret, @Nullable List<Duration> schedule,
			@Nullable Duration readTimeout) {

	}

	/**
	 * The receiver of notifications, served at POST {dtx.http.base-path}/notifications/{sender}.
	 *
	 * @param enabled Whether the endpoint is served (in a servlet web application).
	 * @param secrets The secret of each sender, by the name that ends the path it posts to.
	 * A request from a sender without one is refused.
	 * @param tolerance How far the timestamp of a signature may be from this service's
	 * clock; an older or later one is refused.
	 */
	public record Receiver(@DefaultValue("true") boolean enabled, @DefaultValue Map<String, String> secrets,
			@DefaultValue("5m") Duration tolerance) {

	}

}
