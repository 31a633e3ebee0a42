package io.dtx.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.dtx.jdbc.DtxTables;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoint senders post notifications to,
 * {@code POST {dtx.http.base-path}/notifications/{sender}}. A request is served only when
 * it carries a signature of its body made with that sender's secret
 * ({@code dtx.notify.receiver.secrets.<sender>}) within the tolerance; anything else is
 * refused with 401 before anything runs. The handler of its type then runs in one local
 * transaction with an entry of dtx's inbox table keyed by sender and id, so a
 * notification delivered twice is applied once; the answer, 200 in both cases, comes after
 * that commit.
 */
@RestController
public class NotificationReceiver {

	private static final Log logger = LogFactory.getLog(NotificationReceiver.class);

	private static final int MAX_ID = 64;

	private final NotificationHandlers handlers;

	private final NotificationInbox inbox;

	private final TransactionTemplate transaction;

	private final JsonMapper jsonMapper;

	private final Map<String, String> secrets;

	private final Duration tolerance;

	private final Clock clock;

	public NotificationReceiver(NotificationHandlers handlers, DtxTables tables,
			PlatformTransactionManager transactionManager, JsonMapper jsonMapper, Map<String, String> secrets,
			Duration tolerance) {
		this.handlers = handlers;
		this.inbox = new NotificationInbox(tables);
		this.transaction = new TransactionTemplate(transactionManager);
		this.jsonMapper = jsonMapper;
		this.secrets = Map.copyOf(secrets);
		this.tolerance = tolerance;
		this.clock = tables.clock();
	}

	@PostMapping("${dtx.http.base-path:/dtx}/notifications/{sender}")
	public ResponseEntity<Map<String, String>> receive(@PathVariable String sender,
			@RequestHeader(name = NotificationSignature.HEADER, required = false) @Nullable String signature,
			@RequestHeader(name = NotificationDispatcher.ID_HEADER, required = false) @Nullable String idHeader,
			@RequestHeader(name = NotificationDispatcher.TYPE_HEADER, required = false) @Nullable String typeHeader,
			@RequestBody(required = false) byte @Nullable [] body) {
		byte[] content = (body != null) ? body : new byte[0];
		String secret = this.secrets.get(sender);
		if (secret == null || !NotificationSignature.verify(secret, signature, content, this.clock.instant(),
				this.tolerance)) {
			return answer(HttpStatus.UNAUTHORIZED, "error", "missing, forged or stale " + NotificationSignature.HEADER
					+ ", or no secret for sender '" + sender + "'");
		}
		Envelope envelope = Envelope.parse(this.jsonMapper, content);
		if (envelope == null || (idHeader != null && !idHeader.equals(envelope.id()))
				|| (typeHeader != null && !typeHeader.equals(envelope.type()))) {
			return answer(HttpStatus.BAD_REQUEST, "error", "expected a JSON body {\"id\", \"type\", \"createdAt\", "
					+ "\"payload\"} that agrees with the " + NotificationDispatcher.ID_HEADER + " and "
					+ NotificationDispatcher.TYPE_HEADER + " headers");
		}
		NotificationHandlers.Handler handler = this.handlers.find(envelope.type());
		if (handler == null) {
			// the sender tries again on its schedule: a handler deployed meanwhile still gets it
			return answer(HttpStatus.UNPROCESSABLE_CONTENT, "error",
					"no @NotificationHandler for type '" + envelope.type() + "'");
		}
		Object payload;
		try {
			payload = this.jsonMapper.treeToValue(envelope.payload(),
					this.jsonMapper.constructType(handler.payloadType()));
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return answer(HttpStatus.BAD_REQUEST, "error", "the payload does not bind to "
					+ handler.payloadType().getTypeName() + ": " + ex.getMessage());
		}
		NotificationContext context = new NotificationContext(envelope.id(), envelope.type(), sender,
				envelope.createdAt());
		Boolean applied;
		try {
			applied = this.transaction.execute((status) -> {
				if (!this.inbox.receive(sender, envelope.id())) {
					return false;
				}
				handler.invoke(payload, context);
				return true;
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Notification " + envelope.id() + " (" + envelope.type() + ") from " + sender + ": "
					+ handler.beanName() + "." + handler.method().getName() + " failed, rolled back: " + ex, ex);
			return answer(HttpStatus.INTERNAL_SERVER_ERROR, "error", "the handler failed; nothing was applied");
		}
		return answer(HttpStatus.OK, "status", Boolean.TRUE.equals(applied) ? "applied" : "duplicate");
	}

	private static ResponseEntity<Map<String, String>> answer(HttpStatus status, String key, String value) {
		return ResponseEntity.status(status).body(Map.of(key, value));
	}

	/**
	 * The signed body of a notification.
	 */
	record Envelope(String id, String type, Instant createdAt, JsonNode payload) {

		static @Nullable Envelope parse(JsonMapper mapper, byte[] body) {
			try {
				JsonNode json = mapper.readTree(body);
				String id = text(json, "id");
				String type = text(json, "type");
				String createdAt = text(json, "createdAt");
				JsonNode payload = (json != null) ? json.get("payload") : null;
				if (id == null || id.isBlank() || id.length() > MAX_ID || type == null || type.isBlank()
						|| createdAt == null || payload == null) {
					return null;
				}
				return new Envelope(id, type, Instant.parse(createdAt), payload);
			}
			catch (JacksonException | DateTimeParseException ex) {
				return null;
			}
		}

		private static @Nullable String text(@Nullable JsonNode json, String field) {
			JsonNode value = (json != null) ? json.get(field) : null;
			return (value != null && value.isString()) ? value.asString() : null;
		}

	}

}
