package io.dtx.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
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
	public @Nullable Object decodeValue(@Nullable String json, Type type) {
		return (json == null) ? null : this.mapper.readValue(json, this.mapper.constructType(type));
	}

	/**
	 * Reads the first {@code count} parameters of {@code method} from {@code json}.
	 */
	public Object[] decode(@Nullable String json, Method method, int count) {
		Object[] arguments = new Object[count];
		if (json == null) {
			return arguments;
		}
		JsonNode array = this.mapper.readTree(json);
		Type[] types = method.getGenericParameterTypes();
		for (int i = 0; i < count; i++) {
			JsonNode element = array.get(i);
			arguments[i] = (element == null || element.isNull()) ? null
					: this.mapper.treeToValue(element, this.mapper.constructType(types[i]));
		}
		return arguments;
	}

}
