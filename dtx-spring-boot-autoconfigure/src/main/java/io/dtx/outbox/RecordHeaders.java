package io.dtx.outbox;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Reads dtx's headers off a consumed record: every one is UTF-8 text.
 */
public final class RecordHeaders {

	private RecordHeaders() {
	}

	/**
	 * The last value of the header {@code name} of {@code record}, as text; {@code null}
	 * where the record has none, or one without a value.
	 */
	public static @Nullable String text(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
