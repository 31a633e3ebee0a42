package io.dtx.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unknown keys under {@code dtx} are reported at start-up with the closest known key;
 * the keys dtx has, per-data-source keys and map entries included, are not.
 */
@ExtendWith(OutputCaptureExtension.class)
class DtxUnknownKeysAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DtxUnknownKeysAutoConfiguration.class));

	@Test
	void warnsOfAMisspeltKeyNamingTheClosestKnownOne(CapturedOutput output) {
		this.contextRunner.withPropertyValues("dtx.outbox.bach-size=10", "dtx.recovery.leese=10s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("WARN")
			.contains("Unknown configuration key 'dtx.outbox.bach-size'")
			.contains("the closest it has is 'dtx.outbox.batch-size'")
			.contains("Unknown configuration key 'dtx.recovery.leese'")
			.contains("the closest it has is 'dtx.recovery.lease'");
	}

	@Test
	void warnsOfAMisspeltKeyOfADataSourceNamingItUnderItsOwnName(CapturedOutput output) {
		this.contextRunner.withPropertyValues("dtx.xa.datasources.orders.usrname=sa")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Unknown configuration key 'dtx.xa.datasources.orders.usrname'")
			.contains("the closest it has is 'dtx.xa.datasources.orders.username'");
	}

	@Test
	void saysNothingOfKeysDtxHas(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("dtx.enabled=true", "dtx.data-source=orders", "dtx.verify-transaction-manager=true",
					"dtx.schema.table-prefix=shop_", "dtx.coordinator.enabled=true", "dtx.recovery.interval=1s",
					"dtx.recovery.phaseTwoThreads=4", "dtx.recovery.in-doubt-delay=1m", "dtx.retention.enabled=false",
					"dtx.tcc.async-phase-two=true", "dtx.saga.compensation.max-attempts=3",
					"dtx.saga.step.backoff=10ms", "dtx.http.secret=s", "dtx.http.call-threads=2",
					"dtx.outbox.retention-enabled=true", "dtx.outbox.producer.max.request.size=100",
					"dtx.outbox.producer[compression.type]=lz4", "dtx.xa.log-dir=logs",
					"dtx.xa.datasources.orders.url=jdbc:h2:mem:orders", "dtx.xa.datasources.orders.primary=true",
					"dtx.xa.datasources.orders.xa-data-source-class-name=org.h2.jdbcx.JdbcDataSource",
					"dtx.xa.datasources.orders.properties.description=orders",
					"dtx.xa.datasources.stock.max-pool-size=4", "dtx.xa.datasources.stock.borrow-connection-timeout=5s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("Unknown configuration key");
	}

	@Test
	void theMetadataHasEveryKeyOfADataSource() throws IOException {
		List<String> names;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(DtxUnknownKeys.METADATA)) {
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> properties = (List<Map<String, Object>>) JsonParserFactory.getJsonParser()
				.parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8))
				.get("properties");
			names = properties.stream()
				.filter((property) -> property.get("description") != null)
				.map((property) -> (String) property.get("name"))
				.toList();
		}
		for (RecordComponent component : DtxXaProperties.DataSource.class.getRecordComponents()) {
			assertThat(names).contains("dtx.xa.datasources.*." + dashed(component.getName()));
		}
	}

	@Test
	void distanceCountsTheEditsBetweenTwoNames() {
		assertThat(DtxUnknownKeys.distance("lease", "lease")).isZero();
		assertThat(DtxUnknownKeys.distance("leese", "lease")).isEqualTo(1);
		assertThat(DtxUnknownKeys.distance("bach-size", "batch-size")).isEqualTo(1);
		assertThat(DtxUnknownKeys.distance("", "abc")).isEqualTo(3);
	}

	private static String dashed(String camelCase) {
		return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase();
	}

}
