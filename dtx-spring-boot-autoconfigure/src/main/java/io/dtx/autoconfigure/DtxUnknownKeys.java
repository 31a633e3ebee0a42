package io.dtx.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds the keys under {@code dtx} that no dtx setting has, and names for each the known
 * key closest to it, so that a misspelt key does not silently leave its default in force.
 * The known keys are those of the configuration metadata in the jar; a {@code *} in one of
 * them stands for a map key, as the name of a data source in
 * {@code dtx.xa.datasources.*.url}.
 * <p>
 * Environment variables are not looked at: their names are not dtx's to choose (a CI
 * job's {@code DTX_SOMETHING} would read as a key), and most dtx keys of more than one word
 * cannot be spelt in them anyway.
 */
final class DtxUnknownKeys {

	private static final Log logger = LogFactory.getLog(DtxUnknownKeys.class);

	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final ConfigurationPropertyName DTX = ConfigurationPropertyName.of("dtx");

	private final List<KnownKey> known;

	DtxUnknownKeys(List<KnownKey> known) {
		this.known = known;
	}

	/**
	 * The dtx keys of every configuration metadata file on the class path.
	 */
	static DtxUnknownKeys fromMetadata(@Nullable ClassLoader classLoader) {
		List<KnownKey> known = new ArrayList<>();
		try {
			for (URL url : Collections.list(((classLoader != null) ? classLoader
					: DtxUnknownKeys.class.getClassLoader()).getResources(METADATA))) {
				known.addAll(knownKeys(url));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new DtxUnknownKeys(known);
	}

	@SuppressWarnings("unchecked")
	private static List<KnownKey> knownKeys(URL url) throws IOException {
		String json;
		try (InputStream in = url.openStream()) {
			json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<KnownKey> known = new ArrayList<>();
		Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
		if (properties instanceof List<?> list) {
			for (Object each : list) {
				Map<String, Object> property = (Map<String, Object>) each;
				String name = (String) property.get("name");
				if (name != null && name.startsWith("dtx.")) {
					known.add(KnownKey.of(name, (String) property.get("type")));
				}
			}
		}
		return known;
	}

	/**
	 * Logs a warning for each unknown key.
	 */
	void report(Environment environment) {
		unknownIn(environment).forEach(logger::warn);
	}

	/**
	 * One message per unknown key, naming it, where it was set and the closest known key.
	 */
	List<String> unknownIn(Environment environment) {
		if (this.known.isEmpty()) {
			// a jar built without the metadata: every key would read as unknown
			return List.of();
		}
		Map<ConfigurationPropertyName, ConfigurationProperty> keys = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable
					&& !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
				iterable.filter(DTX::isAncestorOf).stream().forEach((name) -> {
					ConfigurationProperty property = source.getConfigurationProperty(name);
					if (property != null) {
						keys.putIfAbsent(name, property);
					}
				});
			}
		}
		List<String> messages = new ArrayList<>();
		keys.forEach((name, property) -> {
			if (this.known.stream().noneMatch((key) -> key.matches(name))) {
				messages.add("Unknown configuration key '" + name + "'"
						+ ((property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "")
						+ ": dtx has no such setting; the closest it has is '" + closest(name) + "'");
			}
		});
		return messages;
	}

	private String closest(ConfigurationPropertyName name) {
		String spelt = name.toString();
		return this.known.stream()
			.map((key) -> key.spelt(name))
			.min(Comparator.comparingInt((candidate) -> distance(spelt, candidate)))
			.orElseThrow();
	}

	// Levenshtein: the fewest insertions, deletions and substitutions that turn one into the other
	static int distance(String from, String to) {
		int[] previous = new int[to.length() + 1];
		int[] current = new int[to.length() + 1];
		for (int j = 0; j <= to.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= from.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= to.length(); j++) {
				int substitution = previous[j - 1] + ((from.charAt(i - 1) == to.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[to.length()];
	}

	/**
	 * A key of the metadata.
	 *
	 * @param name its name, {@code *} standing for a map key
	 * @param elements its elements in uniform form (lower case, no dashes)
	 * @param openEnded whether it is a map of plain values, whose keys are the user's
	 */
	record KnownKey(String name, List<String> elements, boolean openEnded) {

		static KnownKey of(String name, @Nullable String type) {
			List<String> elements = new ArrayList<>();
			for (String element : name.split("\\.")) {
				elements.add(element.replace("-", "").toLowerCase());
			}
			boolean openEnded = type != null && type.startsWith("java.util.Map<java.lang.String,java.lang.");
			return new KnownKey(name, elements, openEnded);
		}

		boolean matches(ConfigurationPropertyName key) {
			int size = key.getNumberOfElements();
			if (this.openEnded ? size <= this.elements.size() : size != this.elements.size()) {
				return false;
			}
			for (int i = 0; i < this.elements.size(); i++) {
				String element = this.elements.get(i);
				if (!element.equals("*") && !element.equals(key.getElement(i, Form.UNIFORM))) {
					return false;
				}
			}
			return true;
		}

		/**
		 * This key as the given one would spell it: a {@code *} becomes its map key.
		 */
		String spelt(ConfigurationPropertyName key) {
			String[] elements = this.name.split("\\.");
			for (int i = 0; i < elements.length && i < key.getNumberOfElements(); i++) {
				if (elements[i].equals("*")) {
					elements[i] = key.getElement(i, Form.ORIGINAL);
				}
			}
			return String.join(".", elements);
		}

	}

}
