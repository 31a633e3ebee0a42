package io.dtx.saga.orchestration;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dtx.core.DtxWiringException;

/**
 * The application's saga definitions by name: every {@link SagaDefinition} bean. Two of one
 * name fail start-up, naming the saga.
 */
public class SagaDefinitions {

	private final Map<String, SagaDefinition<?>> byName = new LinkedHashMap<>();

	public SagaDefinitions(Collection<? extends SagaDefinition<?>> definitions) {
		for (SagaDefinition<?> definition : definitions) {
			SagaDefinition<?> other = this.byName.putIfAbsent(definition.name(), definition);
			if (other != null) {
				throw new DtxWiringException("Saga '" + definition.name() + "' is defined twice: " + other + " and "
						+ definition, "Give each SagaDefinition bean a saga name of its own");
			}
		}
	}

	/**
	 * The saga of that name.
	 * @throws IllegalArgumentException where none is defined
	 */
	public SagaDefinition<?> get(String name) {
		SagaDefinition<?> definition = this.byName.get(name);
		if (definition == null) {
			throw new IllegalArgumentException("No saga '" + name + "' is defined; defined: " + this.byName.keySet());
		}
		return definition;
	}

	/**
	 * Every definition, in the order the beans came.
	 */
	public List<SagaDefinition<?>> all() {
		return List.copyOf(this.byName.values());
	}

}
