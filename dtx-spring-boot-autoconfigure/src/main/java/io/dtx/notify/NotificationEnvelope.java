package io.dtx.notify;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A notification as it travels: the JSON object {@code {"id", "type", "createdAt",
 * "payload"}} that the dispatcher posts and the query answers with. The id and type are
 * inside the signed body, so a captured request cannot be replayed under another.
 *
 * @param id the notification's id
 * @param type its type
 * @param createdAt when the sender wrote it
 * @param payload its payload
 */
record NotificationEnvelope(String id, String type, Instant createdAt, JsonNode payload) {

	// the width of the id columns of the notification and inbox tables
	static final int MAX_ID = 64;

	/**
	 * The envelope of a row, its payload the JSON the row holds.
	 */
	static NotificationEnvelope of(JsonMapper mapper, String id, String type, Instant createdAt, String payload) {
		return new NotificationEnvelope(id, type, createdAt, mapper.readTree(payload));
	}

	ObjectNode toJson(JsonMapper mapper) {
		ObjectNode json = mapper.createObjectNode();
		json.put("id", this.id);
		json.put("type", this.type);
		json.put("createdAt", this.createdAt.toString());
		json.set("payload", this.payload);
		return json;
	}

	/**
	 * The envelope a JSON object holds; {@code null} where it is not one (a field missing
	 * or of the wrong kind, an id too long, a time that does not parse).
	 */
	static @Nullable NotificationEnvelope from(@Nullable JsonNode json) {
		String id = text(json, "id");
		String type = text(json, "type");
		String createdAt = text(json, "createdAt");
		JsonNode payload = (json != null) ? json.get("payload") : null;
		if (id == null || id.isBlank() || id.length() > MAX_ID || type == null || type.isBlank() || createdAt == null
				|| payload == null) {
			return null;
		}
		try {
			return new NotificationEnvelope(id, type, Instant.parse(createdAt), payload);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * The envelope a body holds; {@code null} where it is not JSON or not an envelope.
	 */
	static @Nullable NotificationEnvelope parse(JsonMapper mapper, byte[] body) {
		try {
			return from(mapper.readTree(body));
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String text(@Nullable JsonNode json, String field) {
		JsonNode value = (json != null) ? json.get(field) : null;
		return (value != null && value.isString()) ? value.asString() : null;
	}

}
