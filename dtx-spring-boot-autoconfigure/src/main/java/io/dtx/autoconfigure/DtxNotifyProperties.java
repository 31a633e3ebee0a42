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
 * @param retentionEnabled Whether this instance deletes delivered notifications and the
 * inbox entries of notifications received, once older than keep-delivered and
 * keep-received.
 * @param keepDelivered How long a delivered notification is kept, and can be queried.
 * @param keepReceived How long the inbox entry of a notification received is kept: longer
 * than a sender may post it again (its schedule) and than reconcile.look-back.
 * @param retentionInterval Time between two deletions.
 * @param endpoints The endpoints notified, by name, unless the application has a
 * NotificationEndpoints bean of its own.
 * @param query How the endpoints' notifications are served to them for reconciliation.
 * @param receiver How notifications from other services are received.
 * @param reconcile How this service fetches, from the senders' query, what it never
 * received.
 */
@ConfigurationProperties("dtx.notify")
public record DtxNotifyProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("true") boolean dispatcherEnabled,
		@DefaultValue({ "15s", "15s", "30s", "3m", "10m", "20m", "30m", "30m", "30m", "60m", "3h", "3h", "3h", "6h",
				"6h" }) List<Duration> schedule,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("4") int maxConcurrencyPerEndpoint, @DefaultValue("16") int threads,
		@DefaultValue("100") int batchSize, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("2m") Duration lease, @DefaultValue("true") boolean retentionEnabled,
		@DefaultValue("7d") Duration keepDelivered, @DefaultValue("7d") Duration keepReceived,
		@DefaultValue("1h") Duration retentionInterval, @DefaultValue Map<String, Endpoint> endpoints,
		@DefaultValue Query query, @DefaultValue Receiver receiver, @DefaultValue Reconcile reconcile) {

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
	 * The sender's query, served at GET {dtx.http.base-path}/notifications/{id} and GET
	 * {dtx.http.base-path}/notifications, to the endpoints, each signing with its secret.
	 *
	 * @param enabled Whether the query is served (in a servlet web application).
	 * @param tolerance How far the timestamp of a request's signature may be from this
	 * service's clock; an older or later one is refused.
	 */
	public record Query(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration tolerance) {

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

	/**
	 * Reconciliation: a job that pages through each sender's query and applies, through the
	 * same handlers and inbox, what was never received.
	 *
	 * @param enabled Whether the job runs. Off unless turned on.
	 * @param interval Time between two passes.
	 * @param lookBack How far back each pass lists: longer than the senders' schedules, so
	 * that a notification they gave up on is still listed.
	 * @param pageSize Notifications asked for per request, at most 1000.
	 * @param connectTimeout How long a request waits to connect to a sender.
	 * @param readTimeout How long a request waits for a sender's answer.
	 * @param senders The senders reconciled with, by the name this service gives them (the
	 * one of receiver.secrets, whose secret signs the requests).
	 */
	public record Reconcile(@DefaultValue("false") boolean enabled, @DefaultValue("1h") Duration interval,
			@DefaultValue("48h") Duration lookBack, @DefaultValue("100") int pageSize,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
			@DefaultValue Map<String, Sender> senders) {

	}

	/**
	 * A sender reconciled with.
	 *
	 * @param url Base URL of the sender's dtx endpoints, its dtx.http.base-path included
	 * (http://payments:8080/dtx).
	 * @param endpoint The name the sender gives this service among its notification
	 * endpoints.
	 */
	public record Sender(@Nullable URI url, @Nullable String endpoint) {

	}

}
