package io.dtx.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Branch ids as paths: the root's branches, and those of services called under a branch.
 */
class BranchIdsTests {

	@Test
	void rootBranchesAreKindAndNumber() {
		assertThat(BranchIds.child(null, "b", 1)).isEqualTo("b1");
		assertThat(BranchIds.child(null, "r", 12)).isEqualTo("r12");
	}

	@Test
	void branchesUnderAParentExtendItsPath() {
		assertThat(BranchIds.child("r1", "b", 2)).isEqualTo("r1.b2");
		assertThat(BranchIds.child("r1", "r", 1)).isEqualTo("r1.r1");
		assertThat(BranchIds.child(BranchIds.child("r1", "r", 3), "b", 1)).isEqualTo("r1.r3.b1");
	}

	@Test
	void rootBranchesAreDirectChildrenOfNoParent() {
		assertThat(BranchIds.isDirectChild("b1", null)).isTrue();
		assertThat(BranchIds.isDirectChild("r2", null)).isTrue();
		assertThat(BranchIds.isDirectChild("r1.b1", null)).isFalse();
	}

	@Test
	void onlyOneLevelDownIsADirectChild() {
		assertThat(BranchIds.isDirectChild("r1.b1", "r1")).isTrue();
		assertThat(BranchIds.isDirectChild("r1.r2", "r1")).isTrue();
		assertThat(BranchIds.isDirectChild("r1.r2.b1", "r1")).isFalse();
		assertThat(BranchIds.isDirectChild("r1.r2.b1", "r1.r2")).isTrue();
	}

	@Test
	void theParentItselfIsNotItsChild() {
		assertThat(BranchIds.isDirectChild("r1", "r1")).isFalse();
	}

	@Test
	void aSiblingSharingThePrefixIsNotAChild() {
		// "r11.b1" starts with "r1" but lies under r11
		assertThat(BranchIds.isDirectChild("r11.b1", "r1")).isFalse();
		assertThat(BranchIds.isDirectChild("r1.b1", "r11")).isFalse();
	}

	@Test
	void childrenOfEveryNumberAreFoundUnderTheirParent() {
		for (int n = 1; n <= 20; n++) {
			assertThat(BranchIds.isDirectChild(BranchIds.child("r1.r2", "b", n), "r1.r2")).isTrue();
			assertThat(BranchIds.isDirectChild(BranchIds.child("r1.r2", "b", n), "r1")).isFalse();
		}
	}

}
