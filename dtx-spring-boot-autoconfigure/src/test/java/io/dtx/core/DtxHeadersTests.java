package io.dtx.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header names are a wire format between services of different versions: they stay
 * as the design guide names them.
 */
class DtxHeadersTests {

	@Test
	void contextHeadersHaveTheirDocumentedNames() {
		assertThat(DtxHeaders.XID).isEqualTo("Dtx-Xid");
		assertThat(DtxHeaders.BRANCH).isEqualTo("Dtx-Branch");
		assertThat(DtxHeaders.MODE).isEqualTo("Dtx-Mode");
		assertThat(DtxHeaders.DEADLINE).isEqualTo("Dtx-Deadline");
		assertThat(DtxHeaders.COORDINATOR).isEqualTo("Dtx-Coordinator");
	}

	@Test
	void messageAndSigningHeadersHaveTheirNames() {
		assertThat(DtxHeaders.MESSAGE_ID).isEqualTo("Dtx-Message-Id");
		assertThat(DtxHeaders.TIMESTAMP).isEqualTo("Dtx-Timestamp");
		assertThat(DtxHeaders.SIGNATURE).isEqualTo("Dtx-Signature");
	}

	@Test
	void namesAreDistinctHttpTokensWhateverTheCase() {
		List<String> names = List.of(DtxHeaders.XID, DtxHeaders.BRANCH, DtxHeaders.MODE, DtxHeaders.DEADLINE,
				DtxHeaders.COORDINATOR, DtxHeaders.MESSAGE_ID, DtxHeaders.TIMESTAMP, DtxHeaders.SIGNATURE);
		// HTTP header names are case-insensitive, and Kafka's are not: distinct in either
		assertThat(names.stream().map(String::toLowerCase)).doesNotHaveDuplicates();
		assertThat(names).allMatch((name) -> name.matches("[A-Za-z0-9-]+"));
	}

}
