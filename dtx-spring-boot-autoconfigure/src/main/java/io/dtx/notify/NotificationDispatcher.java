package io.dtx.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.dtx.core.ErrorText;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.PeriodicTask;
import io.dtx.notify.NotificationStore.ClaimedNotification;
import io.dtx.notify.NotificationStore.DueNotification;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Posts due notifications to their endpoints, from any number of instances. A pass claims
 * due rows in a short transaction (locking them with SKIP LOCKED where the database has
 * it, and moving their due time past a lease with a token of the claim), commits, and
 * hands each to a sending thread: no row lock is held across HTTP, and no other dispatcher
 * sees a claimed row due while its attempt runs. The outcome is written only where the
 * token is still there.
 * <p>
 * Each endpoint has at most {@code max-concurrency-per-endpoint} attempts on their way at
 * once; a pass takes no rows of an endpoint that has none free, so a slow or dead endpoint
 * holds at most that many sending threads and never holds back the others. A pass runs
 * when a commit of {@link Notifications#notify} or a finished attempt wakes the
 * dispatcher, and every {@code poll-interval} otherwise.
 */
public class NotificationDispatcher extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(NotificationDispatcher.class);

	// how many notifications of one endpoint a sending thread attempts in a row
	static final int MAX_IN_A_ROW = 16;

	static final String ID_HEADER = "Dtx-Notification-Id";

	static final String TYPE_HEADER = "Dtx-Notification-Type";

	private final NotificationStore store;

	private final TransactionTemplate claimTransaction;

	private final NotificationEndpoints endpoints;

	private final JsonMapper jsonMapper;

	private final TaskScheduler scheduler;

	private final Settings settings;

	private final DispatchObserver observer;

	private final HttpClient httpClient;

	// one client per read timeout: the JDK factory sets it on every request it makes
	private final Map<Duration, RestClient> clients = new ConcurrentHashMap<>();

	private final Map<String, Semaphore> endpointPermits = new ConcurrentHashMap<>();

	private final Semaphore threadPermits;

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	private volatile @Nullable ExecutorService senders;

	public NotificationDispatcher(DtxTables tables, PlatformTransactionManager transactionManager,
			NotificationEndpoints endpoints, JsonMapper jsonMapper, TaskScheduler scheduler, Settings settings,
			DispatchObserver observer) {
		super(scheduler, settings.pollInterval(), settings.pollInterval());
		this.store = new NotificationStore(tables);
		this.claimTransaction = new TransactionTemplate(transactionManager);
		this.claimTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.endpoints = endpoints;
		this.jsonMapper = jsonMapper;
		this.scheduler = scheduler;
		this.settings = settings;
		this.observer = observer;
		this.httpClient = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
		this.threadPermits = new Semaphore(settings.threads());
	}

	/**
	 * Makes the dispatcher look for due notifications now rather than at its next poll.
	 */
	public void wakeUp() {
		if (this.senders != null && this.wakeUpPending.compareAndSet(false, true)) {
			this.scheduler.schedule(() -> {
				this.wakeUpPending.set(false);
				try {
					runOnce();
				}
				catch (RuntimeException ex) {
					logger.warn("Notification dispatch failed, the next pass tries again: " + ex, ex);
				}
			}, Instant.now());
		}
	}

	@Override
	public void start() {
		AtomicInteger threadNumber = new AtomicInteger();
		ThreadPoolExecutor senders = new ThreadPoolExecutor(this.settings.threads(), this.settings.threads(), 60,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "dtx-notify-" + threadNumber.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		senders.allowCoreThreadTimeOut(true);
		this.senders = senders;
		super.start();
	}

	@Override
	public void stop() {
		super.stop();
		ExecutorService senders = this.senders;
		this.senders = null;
		if (senders != null) {
			senders.shutdown();
			try {
				// an attempt cut short leaves its row claimed: sent again once the lease ends
				if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
					senders.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				senders.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	protected synchronized void runOnce() {
		while (dispatchOnce()) {
			// more may be due
		}
	}

	/**
	 * Claims what is due and has a free sending thread and endpoint permit, and starts
	 * its attempts; returns whether more may be due.
	 */
	synchronized boolean dispatchOnce() {
		ExecutorService senders = this.senders;
		int free = Math.min(this.threadPermits.availablePermits(), this.settings.batchSize());
		if (senders == null || free == 0) {
			return false;
		}
		List<String> fullEndpoints = new ArrayList<>();
		this.endpointPermits.forEach((endpoint, permits) -> {
			if (permits.availablePermits() == 0) {
				fullEndpoints.add(endpoint);
			}
		});
		String claim = UUID.randomUUID().toString();
		List<ClaimedNotification> claimed = new ArrayList<>();
		AtomicBoolean passedOverFullEndpoint = new AtomicBoolean();
		try {
			this.claimTransaction.executeWithoutResult((status) -> {
				Instant leaseEnd = this.store.instant().plus(this.settings.lease());
				for (DueNotification due : this.store.lockDue(fullEndpoints, free)) {
					Semaphore permits = permits(due.endpoint());
					if (!permits.tryAcquire()) {
						passedOverFullEndpoint.set(true);
						continue;
					}
					if (!this.threadPermits.tryAcquire()) {
						permits.release();
						break;
					}
					if (this.store.claim(due.id(), claim, leaseEnd)) {
						claimed.add(due.claimedAs(claim));
					}
					else {
						permits.release();
						this.threadPermits.release();
					}
				}
			});
		}
		catch (RuntimeException ex) {
			// rolled back: no row stays claimed
			claimed.forEach(this::releasePermits);
			throw ex;
		}
		for (ClaimedNotification notification : claimed) {
			senders.execute(() -> send(notification));
		}
		// a row passed over for a full endpoint may hide due rows of others behind it: the next
		// claim leaves that endpoint out
		return claimed.size() == free || passedOverFullEndpoint.get();
	}

	/**
	 * Attempts a claimed notification and, while the endpoint answers 2xx, goes on with its
	 * next due one under the same permits, up to {@link #MAX_IN_A_ROW} in a row. An endpoint's backlog flows
	 * without a pass over all due rows per notification (which reads past the rows of every
	 * endpoint at its limit); the limit hands the thread back to the pass, which takes due
	 * rows of every endpoint oldest first, so that a busy endpoint does not keep it.
	 */
	private void send(ClaimedNotification first) {
		try {
			ClaimedNotification next = first;
			int sent = 0;
			while (next != null) {
				// after a failure the endpoint may be down: its next one waits for the pass
				boolean delivered = attemptLogged(next);
				next = (delivered && ++sent < MAX_IN_A_ROW && this.senders != null)
						? claimNextDue(next.notification().endpoint()) : null;
			}
		}
		finally {
			releasePermits(first);
			wakeUp();
		}
	}

	private boolean attemptLogged(ClaimedNotification notification) {
		try {
			return attempt(notification);
		}
		catch (RuntimeException ex) {
			logger.warn("Notification " + notification.id() + ": its outcome could not be recorded, it is "
					+ "sent again once its lease ends: " + ex, ex);
			return false;
		}
	}

	private @Nullable ClaimedNotification claimNextDue(String endpoint) {
		String claim = UUID.randomUUID().toString();
		try {
			return this.claimTransaction.execute((status) -> {
				DueNotification due = this.store.lockNextDue(endpoint);
				return (due != null
						&& this.store.claim(due.id(), claim, this.store.instant().plus(this.settings.lease())))
								? due.claimedAs(claim) : null;
			});
		}
		catch (RuntimeException ex) {
			// the database is away: the next pass claims it
			logger.debug("Claiming the next notification for " + endpoint + " failed: " + ex, ex);
			return null;
		}
	}

	private Semaphore permits(String endpoint) {
		return this.endpointPermits.computeIfAbsent(endpoint,
				(name) -> new Semaphore(this.settings.maxConcurrencyPerEndpoint()));
	}

	private void releasePermits(ClaimedNotification notification) {
		permits(notification.notification().endpoint()).release();
		this.threadPermits.release();
	}

	/**
	 * One attempt; whether the endpoint answered 2xx.
	 */
	private boolean attempt(ClaimedNotification claimed) {
		DueNotification notification = claimed.notification();
		NotificationEndpoint endpoint;
		try {
			endpoint = this.endpoints.find(notification.endpoint());
		}
		catch (RuntimeException ex) {
			failed(claimed, null, "resolving endpoint '" + notification.endpoint() + "' failed: " + ex);
			return false;
		}
		if (endpoint == null) {
			failed(claimed, null, "no notification endpoint is named '" + notification.endpoint() + "'");
			return false;
		}
		String error;
		try {
			byte[] body = body(notification);
			error = client(endpoint).post()
				.uri(endpoint.url())
				.contentType(MediaType.APPLICATION_JSON)
				.header(ID_HEADER, notification.id())
				.header(TYPE_HEADER, notification.type())
				.header(NotificationSignature.HEADER,
						NotificationSignature.sign(endpoint.secret(), this.store.instant(), body))
				.body(body)
				.exchange((request, response) -> response.getStatusCode().is2xxSuccessful() ? null
						: "HTTP " + response.getStatusCode().value() + ": " + start(response.getBody().readNBytes(300)),
						true);
		}
		catch (RuntimeException ex) {
			error = ErrorText.of(ex);
		}
		if (error == null) {
			this.observer.delivered();
			if (!this.store.markDelivered(claimed)) {
				logger.warn("Notification " + notification.id() + " was delivered after its lease ended");
			}
			return true;
		}
		failed(claimed, endpoint.schedule(), error);
		return false;
	}

	private void failed(ClaimedNotification claimed, @Nullable List<Duration> endpointSchedule, String error) {
		List<Duration> schedule = (endpointSchedule != null) ? endpointSchedule : this.settings.schedule();
		int failedAttempts = claimed.attempts() + 1;
		DueNotification notification = claimed.notification();
		boolean exhausted = failedAttempts > schedule.size();
		this.observer.failed(exhausted);
		if (exhausted) {
			logger.warn("Notification " + notification.id() + " (" + notification.type() + ") to "
					+ notification.endpoint() + " is exhausted after " + failedAttempts + " attempts: " + error);
			this.store.markExhausted(claimed, error);
			return;
		}
		logger.debug("Notification " + notification.id() + " to " + notification.endpoint() + " failed attempt "
				+ failedAttempts + ": " + error);
		this.store.markFailed(claimed, this.store.instant().plus(schedule.get(failedAttempts - 1)), error);
	}

	private byte[] body(DueNotification notification) {
		return this.jsonMapper.writeValueAsBytes(NotificationEnvelope
			.of(this.jsonMapper, notification.id(), notification.type(), notification.createdAt(),
					notification.payload())
			.toJson(this.jsonMapper));
	}

	private RestClient client(NotificationEndpoint endpoint) {
		Duration readTimeout = (endpoint.readTimeout() != null) ? endpoint.readTimeout()
				: this.settings.readTimeout();
		// an attempt ends well within its lease, so no other dispatcher sends the row meanwhile
		Duration longest = this.settings.longestReadTimeout();
		Duration timeout = (readTimeout.compareTo(longest) > 0) ? longest : readTimeout;
		return this.clients.computeIfAbsent(timeout, (duration) -> {
			JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(this.httpClient);
			requestFactory.setReadTimeout(duration);
			return RestClient.builder().requestFactory(requestFactory).build();
		});
	}

	private static String start(byte[] body) throws IOException {
		return new String(body, StandardCharsets.UTF_8);
	}

	/**
	 * How the dispatcher works.
	 *
	 * @param schedule the delays between attempts after the first, for endpoints without
	 * their own
	 * @param connectTimeout how long an attempt waits to connect
	 * @param readTimeout how long an attempt waits for the answer, for endpoints without
	 * their own
	 * @param maxConcurrencyPerEndpoint attempts on their way to one endpoint at once
	 * @param threads attempts on their way at once, all endpoints together
	 * @param batchSize most rows one claim takes
	 * @param pollInterval time between two looks without a wake-up
	 * @param lease how long a claimed row stays invisible to other dispatchers
	 */
	public record Settings(List<Duration> schedule, Duration connectTimeout, Duration readTimeout,
			int maxConcurrencyPerEndpoint, int threads, int batchSize, Duration pollInterval, Duration lease) {

		public Settings {
			schedule = List.copyOf(schedule);
			if (maxConcurrencyPerEndpoint < 1 || threads < 1 || batchSize < 1) {
				throw new IllegalArgumentException("dtx.notify.max-concurrency-per-endpoint, threads and batch-size "
						+ "must be at least 1");
			}
			if (readTimeout.plus(connectTimeout).multipliedBy(2).compareTo(lease) > 0) {
				throw new IllegalArgumentException("dtx.notify.lease (" + lease + ") must be at least twice "
						+ "connect-timeout plus read-timeout (" + connectTimeout + " + " + readTimeout + "), so that "
						+ "no other dispatcher sends a notification while an attempt at it runs");
			}
		}

		/**
		 * The longest read timeout an attempt may have: an endpoint's longer one is cut to it.
		 */
		Duration longestReadTimeout() {
			return this.lease.dividedBy(2).minus(this.connectTimeout);
		}

	}

}
