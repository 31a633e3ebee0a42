package io.dtx.coordinator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The modes registered in this application, by name: what recovery, the in-doubt
 * resolver and the phase-two endpoint dispatch over.
 */
public final class TransactionModes {

	private final Map<String, TransactionMode> byName = new LinkedHashMap<>();

	public TransactionModes(List<? extends TransactionMode> modes) {
		for (TransactionMode mode : modes) {
			String name = mode.name();
			if (name == null || !TransactionMode.NAME.matcher(name).matches()) {
				throw new IllegalStateException("Transaction mode " + mode.getClass().getName() + " is named '" + name
						+ "'; a mode's name must match " + TransactionMode.NAME.pattern());
			}
			TransactionMode other = this.byName.putIfAbsent(name, mode);
			if (other != null) {
				throw new IllegalStateException("Two transaction modes are named " + name + ": "
						+ other.getClass().getName() + " and " + mode.getClass().getName());
			}
		}
	}

	/**
	 * The mode of that name; {@code null} where none is registered here.
	 */
	public @Nullable TransactionMode get(@Nullable String name) {
		return (name != null) ? this.byName.get(name) : null;
	}

	public Set<String> names() {
		return this.byName.keySet();
	}

}
