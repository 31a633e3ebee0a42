package io.dtx.core;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The branch a confirm, cancel or compensation is handed.
 */
class BranchContextTests {

	@Test
	void holdsTheBranchItDescribes() {
		BranchContext context = new BranchContext("0123abcd", "r1.b2", "stock#reserve");
		assertThat(context.xid()).isEqualTo("0123abcd");
		assertThat(context.branchId()).isEqualTo("r1.b2");
		assertThat(context.action()).isEqualTo("stock#reserve");
	}

	@Test
	void contextsOfTheSameBranchAreEqualSoAUserCanKeyOnThem() {
		Map<BranchContext, String> done = Map.of(new BranchContext("x1", "b1", "stock#reserve"), "done");
		assertThat(done).containsKey(new BranchContext("x1", "b1", "stock#reserve"));
		assertThat(done).doesNotContainKey(new BranchContext("x1", "b2", "stock#reserve"));
		assertThat(done).doesNotContainKey(new BranchContext("x2", "b1", "stock#reserve"));
	}

	@Test
	void toStringNamesTheBranch() {
		assertThat(new BranchContext("x1", "r1.b1", "stock#reserve").toString()).contains("x1", "r1.b1",
				"stock#reserve");
	}

}
