package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.dtx.jdbc.DtxTables;
import io.dtx.notify.NotificationStore.ListedNotification;
import io.dtx.notify.NotificationStore.Position;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the sender serves so that a receiver can fetch what it never got:
 * {@code GET {dtx.http.base-path}/notifications/{id}?endpoint=…} and the listing
 * {@code GET {dtx.http.base-path}/notifications?endpoint=…&since=…&after=…&limit=…} of an
 * endpoint's notifications in the order they were written, a page at a time, each page
 * ending with the cursor of the next.
 * <p>
 * Both ask and answer are signed with the endpoint's secret, as notifications are
 * ({@link NotificationSignature}): the request's signature covers {@link #signedText the
 * request's method, path and parameters}, the answer's its body. A request without a
 * valid, fresh signature of the named endpoint is answered 401, and says nothing of what
 * exists.
 */
@RestController
public class NotificationQuery {

	static final int MAX_LIMIT = 1000;

	private final NotificationStore store;

	private final NotificationEndpoints endpoints;

	private final JsonMapper jsonMapper;

	private final Duration tolerance;

	private final Clock clock;

	public NotificationQuery(DtxTables tables, NotificationEndpoints endpoints, JsonMapper jsonMapper,
			Duration tolerance) {
		this.store = new NotificationStore(tables);
		this.endpoints = endpoints;
		this.jsonMapper = jsonMapper;
		this.tolerance = tolerance;
		this.clock = tables.clock();
	}

	@GetMapping("${dtx.http.base-path:/dtx}/notifications/{id}")
	public ResponseEntity<byte[]> notification(@PathVariable String id, @RequestParam String endpoint,
			@RequestHeader(name = NotificationSignature.HEADER, required = false) @Nullable String signature) {
		String secret = secret(endpoint, signature, signedText(endpoint, id));
		if (secret == null) {
			return unauthorized();
		}
		ListedNotification found = this.store.find(id, endpoint);
		if (found == null) {
			return signed(HttpStatus.NOT_FOUND, secret, error("no notification '" + id + "' for " + endpoint));
		}
		return signed(HttpStatus.OK, secret, envelope(found));
	}

	@GetMapping("${dtx.http.base-path:/dtx}/notifications")
	public ResponseEntity<byte[]> notifications(@RequestParam String endpoint,
			@RequestParam(required = false) @Nullable String since,
			@RequestParam(required = false) @Nullable String after,
			@RequestParam(required = false) @Nullable String limit,
			@RequestHeader(name = NotificationSignature.HEADER, required = false) @Nullable String signature) {
		String secret = secret(endpoint, signature, signedText(endpoint, since, after, limit));
		if (secret == null) {
			return unauthorized();
		}
		Instant from;
		Position position;
		int pageSize;
		try {
			from = (since != null) ? Instant.parse(since) : Instant.EPOCH;
			position = (after != null) ? Position.ofCursor(after) : Position.START;
			pageSize = (limit != null) ? Integer.parseInt(limit) : 100;
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			return signed(HttpStatus.BAD_REQUEST, secret, error("since must be an ISO-8601 instant, after a cursor "
					+ "of this query and limit a number: " + ex.getMessage()));
		}
		if (pageSize < 1 || pageSize > MAX_LIMIT) {
			return signed(HttpStatus.BAD_REQUEST, secret, error("limit must be 1 to " + MAX_LIMIT));
		}
		List<ListedNotification> page = this.store.page(endpoint, from, position, pageSize);
		ObjectNode body = this.jsonMapper.createObjectNode();
		ArrayNode notifications = body.putArray("notifications");
		page.forEach((notification) -> notifications.add(envelope(notification)));
		// a short page is the last one for now; a full one may have more behind it
		body.put("next", (page.size() == pageSize) ? page.get(page.size() - 1).position().cursor() : null);
		return signed(HttpStatus.OK, secret, body);
	}

	/**
	 * What a request for one notification signs.
	 */
	static String signedText(String endpoint, String id) {
		return "GET notifications/" + id + "?endpoint=" + endpoint;
	}

	/**
	 * What a request for a page of notifications signs: the parameters as sent, absent
	 * ones empty.
	 */
	static String signedText(String endpoint, @Nullable String since, @Nullable String after,
			@Nullable String limit) {
		return "GET notifications?endpoint=" + endpoint + "&since=" + orEmpty(since) + "&after=" + orEmpty(after)
				+ "&limit=" + orEmpty(limit);
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	// the endpoint's secret where the signature is good, else null: an unknown endpoint and a bad
	// signature are told apart by no one
	private @Nullable String secret(String endpoint, @Nullable String signature, String signedText) {
		NotificationEndpoint found = this.endpoints.find(endpoint);
		if (found == null || !NotificationSignature.verify(found.secret(), signature,
				signedText.getBytes(StandardCharsets.UTF_8), this.clock.instant(), this.tolerance)) {
			return null;
		}
		return found.secret();
	}

	private ObjectNode envelope(ListedNotification notification) {
		ObjectNode json = NotificationEnvelope.of(this.jsonMapper, notification.id(), notification.type(),
				notification.createdAt(), notification.payload())
			.toJson(this.jsonMapper);
		json.put("state", notification.state());
		return json;
	}

	private ObjectNode error(String message) {
		return this.jsonMapper.createObjectNode().put("error", message);
	}

	private ResponseEntity<byte[]> signed(HttpStatus status, String secret, ObjectNode body) {
		byte[] content = this.jsonMapper.writeValueAsBytes(body);
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.header(NotificationSignature.HEADER, NotificationSignature.sign(secret, this.clock.instant(), content))
			.body(content);
	}

	private static ResponseEntity<byte[]> unauthorized() {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.contentType(MediaType.APPLICATION_JSON)
			.body(("{\"error\":\"missing, forged or stale " + NotificationSignature.HEADER
					+ ", or no such endpoint\"}").getBytes(StandardCharsets.UTF_8));
	}

}
