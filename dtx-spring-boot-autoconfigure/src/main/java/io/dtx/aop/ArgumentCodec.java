package io.dtx.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a branch's arguments as a JSON array into its fence row, and reads them back, by
 * the method's generic parameter types, when recovery has only the row.
 */
public final class ArgumentCodec {

	private final JsonMapper mapper;

	public ArgumentCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	public String encode(Object[] arguments) {
		return this.mapper.writeValueAsString(arguments);
	}

	/**
	 * Writes one value, such as what a branch returned.
	 */
	public String encodeValue(@Nullable Object value) {
		return this.mapper.writeValueAsString(value);
	}

	/**
	 * Reads one value of {@code type} back.
	 */
	@Nullable Object decodeValue(@Nullable String json, Type type) {
		return (json == null) ? null : this.mapper.readValue(json, this.mapper.constructType(type));
	}

	/**
	 * Reads the first {@code count} parameters of {@code method} from {@code json}. Each
	 * element is read straight from the text by its parameter's type, never through a
	 * tree, which would hold a decimal as a double: an amount comes back with every digit
	 * and its scale.
	 */
	public Object[] decode(@Nullable String json, Method method, int count) {
		Object[] arguments = new Object[count];
		if (json == null) {
			return arguments;
		}
		Type[] types = method.getGenericParameterTypes();
		try (JsonParser parser = this.mapper.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				throw new IllegalArgumentException("Arguments of " + method + " are not a JSON array: " + json);
			}
			for (int i = 0; i < count; i++) {
				JsonToken element = parser.nextToken();
				if (element == null || element == JsonToken.END_ARRAY) {
					break;
				}
				arguments[i] = (element == JsonToken.VALUE_NULL) ? null
						: this.mapper.readerFor(this.mapper.constructType(types[i]))
							// the rest of the array follows the element
							.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
							.readValue(parser);
			}
			// the rest read through, so that a truncated row fails here and not in a later attempt
			JsonToken token = parser.currentToken();
			while (token != JsonToken.END_ARRAY) {
				token = parser.nextToken();
				if (token == null) {
					throw new IllegalArgumentException("Arguments of " + method + " end before their array: " + json);
				}
				parser.skipChildren();
			}
		}
		return arguments;
	}

}
