package io.dtx.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay hashes keys into {@link OutboxStore#BUCKETS} buckets and locks their rows,
 * which the migrations seed: every vendor's migration seeds exactly those.
 */
class OutboxBucketsTests {

	private static final Pattern SEED = Pattern.compile("insert into \\$\\{prefix}outbox_bucket \\(bucket\\) values ([^;]+);");

	@ParameterizedTest
	@ValueSource(strings = { "postgresql", "mysql", "h2" })
	void theMigrationSeedsOneRowPerBucket(String vendor) throws IOException {
		String migration;
		try (InputStream in = getClass().getResourceAsStream("/io/dtx/db/migration/" + vendor + "/V6__outbox.sql")) {
			assertThat(in).as("the outbox migration of " + vendor).isNotNull();
			migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Matcher seed = SEED.matcher(migration);
		assertThat(seed.find()).as("the seed of the buckets in " + vendor).isTrue();
		List<Integer> buckets = new ArrayList<>();
		Matcher value = Pattern.compile("\\((\\d+)\\)").matcher(seed.group(1));
		while (value.find()) {
			buckets.add(Integer.valueOf(value.group(1)));
		}
		List<Integer> expected = new ArrayList<>();
		for (int bucket = 0; bucket < OutboxStore.BUCKETS; bucket++) {
			expected.add(bucket);
		}
		assertThat(buckets).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a key", "", "another key", "\u00e9t\u00e9" })
	void aKeyAlwaysFallsInTheSameSeededBucket(String key) {
		int bucket = OutboxStore.bucket("orders", key, "message-1");
		assertThat(bucket).isBetween(0, OutboxStore.BUCKETS - 1)
			.isEqualTo(OutboxStore.bucket("orders", key, "message-2"));
	}

}
