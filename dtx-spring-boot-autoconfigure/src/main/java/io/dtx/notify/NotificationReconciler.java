package io.dtx.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Fetches from each sender what this service never received: pages through the sender's
 * listing of the notifications it wrote for this service ({@link NotificationQuery}) over
 * the last {@code look-back}, and applies every one the inbox does not hold through the
 * same handlers and inbox as a notification posted, so one that arrives by both ways is
 * applied once. Both the requests and the answers are signed with the sender's secret; an
 * answer without a valid signature is not believed.
 * <p>
 * Runs every {@code interval} when turned on, and on demand through
 * {@link #reconcile(String)}. A notification the handler fails on, or whose type has no
 * handler, stays out of the inbox, so the next pass tries it again.
 */
public class NotificationReconciler extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(NotificationReconciler.class);

	private final NotificationIntake intake;

	private final JsonMapper jsonMapper;

	private final Map<String, Sender> senders;

	private final Settings settings;

	private final Clock clock;

	private final RestClient client;

	public NotificationReconciler(NotificationHandlers handlers, DtxTables tables,
			PlatformTransactionManager transactionManager, JsonMapper jsonMapper, TaskScheduler scheduler,
			Map<String, Sender> senders, Settings settings) {
		super(scheduler, settings.interval(), settings.interval());
		this.intake = new NotificationIntake(handlers, tables, transactionManager, jsonMapper);
		this.jsonMapper = jsonMapper;
		this.senders = Map.copyOf(senders);
		this.settings = settings;
		this.clock = tables.clock();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build());
		requestFactory.setReadTimeout(settings.readTimeout());
		this.client = RestClient.builder().requestFactory(requestFactory).build();
	}

	@Override
	protected void runOnce() {
		this.senders.keySet().forEach((sender) -> {
			try {
				Reconciliation reconciliation = reconcile(sender);
				if (reconciliation.applied() > 0 || !reconciliation.failed().isEmpty()) {
					logger.info(reconciliation);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Reconciling notifications from " + sender + " failed, the next pass tries again: " + ex);
			}
		});
	}

	/**
	 * Fetches what {@code sender} wrote for this service over the look-back and applies what
	 * the inbox does not hold.
	 * @throws IllegalArgumentException where no sender has that name
	 * @throws IllegalStateException where the sender's answer is not signed with its secret
	 * or not a page of notifications
	 * @throws org.springframework.web.client.RestClientException where the sender cannot
	 * be reached or answers other than 200
	 */
	public Reconciliation reconcile(String sender) {
		Sender from = this.senders.get(sender);
		if (from == null) {
			throw new IllegalArgumentException("No sender '" + sender + "' under dtx.notify.reconcile.senders");
		}
		String since = this.clock.instant().minus(this.settings.lookBack()).toString();
		String limit = String.valueOf(this.settings.pageSize());
		int listed = 0;
		int applied = 0;
		List<String> failed = new ArrayList<>();
		String after = null;
		do {
			JsonNode page = page(from, since, after, limit);
			List<NotificationEnvelope> envelopes = new ArrayList<>();
			for (JsonNode json : page.path("notifications")) {
				NotificationEnvelope envelope = NotificationEnvelope.from(json);
				if (envelope == null) {
					throw new IllegalStateException("Sender " + sender + " listed a notification that is not one: "
							+ json);
				}
				envelopes.add(envelope);
			}
			listed += envelopes.size();
			Set<String> received = this.intake.received(sender,
					envelopes.stream().map(NotificationEnvelope::id).toList());
			for (NotificationEnvelope envelope : envelopes) {
				if (received.contains(envelope.id())) {
					continue;
				}
				NotificationIntake.Outcome outcome = this.intake.apply(sender, envelope);
				switch (outcome.result()) {
					case APPLIED -> applied++;
					case DUPLICATE -> {
						// posted meanwhile
					}
					default -> failed.add(envelope.id() + ": " + outcome.message());
				}
			}
			JsonNode next = page.get("next");
			after = (next != null && next.isString()) ? next.asString() : null;
		}
		while (after != null);
		return new Reconciliation(sender, listed, applied, failed);
	}

	private JsonNode page(Sender sender, String since, @Nullable String after, String limit) {
		URI uri = UriComponentsBuilder.fromUri(sender.url())
			.path("/notifications")
			.queryParam("endpoint", sender.endpoint())
			.queryParam("since", since)
			.queryParamIfPresent("after", Optional.ofNullable(after))
			.queryParam("limit", limit)
			.encode()
			.build()
			.toUri();
		byte[] signedText = NotificationQuery.signedText(sender.endpoint(), since, after, limit)
			.getBytes(StandardCharsets.UTF_8);
		return this.client.get()
			.uri(uri)
			.header(NotificationSignature.HEADER,
					NotificationSignature.sign(sender.secret(), this.clock.instant(), signedText))
			.exchange((request, response) -> {
				byte[] body = response.getBody().readAllBytes();
				if (!response.getStatusCode().is2xxSuccessful()) {
					throw new IllegalStateException("Sender at " + uri + " answered " + response.getStatusCode()
							+ ": " + new String(body, StandardCharsets.UTF_8));
				}
				if (!NotificationSignature.verify(sender.secret(),
						response.getHeaders().getFirst(NotificationSignature.HEADER), body, this.clock.instant(),
						this.settings.tolerance())) {
					throw new IllegalStateException("The answer of " + uri + " is not signed with the sender's "
							+ "secret: not believed");
				}
				return this.jsonMapper.readTree(body);
			}, true);
	}

	/**
	 * A sender reconciled with.
	 *
	 * @param url the base URL of its dtx endpoints, its {@code dtx.http.base-path}
	 * included ({@code http://payments:8080/dtx})
	 * @param endpoint the name the sender gives this service among its endpoints
	 * @param secret the secret shared with the sender
	 */
	public record Sender(URI url, String endpoint, String secret) {

	}

	/**
	 * How reconciliation works.
	 *
	 * @param interval time between two passes
	 * @param lookBack how far back each pass lists
	 * @param pageSize notifications asked for per request
	 * @param connectTimeout how long a request waits to connect
	 * @param readTimeout how long a request waits for the answer
	 * @param tolerance how far the timestamp of an answer's signature may be from this
	 * service's clock
	 */
	public record Settings(Duration interval, Duration lookBack, int pageSize, Duration connectTimeout,
			Duration readTimeout, Duration tolerance) {

		public Settings {
			if (pageSize < 1 || pageSize > NotificationQuery.MAX_LIMIT) {
				throw new IllegalArgumentException(
						"dtx.notify.reconcile.page-size must be 1 to " + NotificationQuery.MAX_LIMIT);
			}
		}

	}

	/**
	 * What one reconciliation with a sender did.
	 *
	 * @param sender the sender
	 * @param listed notifications the sender listed over the look-back
	 * @param applied of those, the ones this pass applied: never received before
	 * @param failed the ones that could not be applied (no handler, a payload that does
	 * not bind, a handler that failed), each with the reason: tried again by the next pass
	 */
	public record Reconciliation(String sender, int listed, int applied, List<String> failed) {

		public Reconciliation {
			failed = List.copyOf(failed);
		}

		@Override
		public String toString() {
			return "Reconciled notifications from " + this.sender + ": " + this.listed + " listed, " + this.applied
					+ " applied that were missed" + (this.failed.isEmpty() ? "" : ", failed: " + this.failed);
		}

	}

}
