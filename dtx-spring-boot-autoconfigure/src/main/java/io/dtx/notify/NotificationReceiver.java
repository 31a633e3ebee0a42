package io.dtx.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.dtx.jdbc.DtxTables;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
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

	private final NotificationIntake intake;

	private final JsonMapper jsonMapper;

	private final Map<String, String> secrets;

	private final Duration tolerance;

	private final Clock clock;

	public NotificationReceiver(NotificationHandlers handlers, DtxTables tables,
			PlatformTransactionManager transactionManager, JsonMapper jsonMapper, Map<String, String> secrets,
			Duration tolerance) {
		this.intake = new NotificationIntake(handlers, tables, transactionManager, jsonMapper);
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
		NotificationEnvelope envelope = NotificationEnvelope.parse(this.jsonMapper, content);
		if (envelope == null || (idHeader != null && !idHeader.equals(envelope.id()))
				|| (typeHeader != null && !typeHeader.equals(envelope.type()))) {
			return answer(HttpStatus.BAD_REQUEST, "error", "expected a JSON body {\"id\", \"type\", \"createdAt\", "
					+ "\"payload\"} that agrees with the " + NotificationDispatcher.ID_HEADER + " and "
					+ NotificationDispatcher.TYPE_HEADER + " headers");
		}
		NotificationIntake.Outcome outcome = this.intake.apply(sender, envelope);
		return switch (outcome.result()) {
			case APPLIED, DUPLICATE -> answer(HttpStatus.OK, "status", outcome.message());
			case NO_HANDLER -> answer(HttpStatus.UNPROCESSABLE_CONTENT, "error", outcome.message());
			case UNBINDABLE -> answer(HttpStatus.BAD_REQUEST, "error", outcome.message());
			case FAILED -> answer(HttpStatus.INTERNAL_SERVER_ERROR, "error", outcome.message());
		};
	}

	private static ResponseEntity<Map<String, String>> answer(HttpStatus status, String key, String value) {
		return ResponseEntity.status(status).body(Map.of(key, value));
	}

}
