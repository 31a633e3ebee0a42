package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties records bound by constructor: defaults where no key is set, nested
 * groups never null, and the defaults that come from another key or from the machine.
 */
class DtxPropertiesTests {

	@Test
	void namesEachContextsInstanceAfreshUnlessTheIdIsSet() {
		String first = bind("dtx", DtxProperties.class, Map.of()).instanceId();
		String second = bind("dtx", DtxProperties.class, Map.of()).instanceId();
		assertThat(first).isNotBlank().isNotEqualTo(second);
		assertThat(bind("dtx", DtxProperties.class, Map.of("dtx.instance-id", "orders-1")).instanceId())
			.isEqualTo("orders-1");
	}

	@Test
	void givesNestedGroupsAndMapsTheirDefaultsWhereNoKeyIsSet() {
		DtxSagaProperties saga = bind("dtx.saga", DtxSagaProperties.class, Map.of());
		assertThat(saga.compensation().maxAttempts()).isEqualTo(10);
		assertThat(saga.step().backoff()).isEqualTo(Duration.ofMillis(100));
		assertThat(bind("dtx.outbox", DtxOutboxProperties.class, Map.of()).producer()).isEmpty();
		DtxXaProperties.DataSource orders = bind("dtx.xa", DtxXaProperties.class,
				Map.of("dtx.xa.datasources.orders.url", "jdbc:h2:mem:orders"))
			.datasources()
			.get("orders");
		assertThat(orders.maxPoolSize()).isEqualTo(10);
		assertThat(orders.borrowConnectionTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(orders.properties()).isEmpty();
	}

	private static <T> T bind(String prefix, Class<T> type, Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
	}

}
