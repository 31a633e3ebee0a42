package io.dtx.core;

import org.jspecify.annotations.Nullable;

/**
 * Branch ids are paths: a service that runs under branch {@code r1} of its caller names
 * its own local branches {@code r1.b1}, {@code r1.b2} and its own callees {@code r1.r1}.
 */
public final class BranchIds {

	private BranchIds() {
	}

	/**
	 * The id of the {@code n}th branch of a kind ("b" local, "r" remote) under a parent.
	 */
	public static String child(@Nullable String parentBranch, String kind, int n) {
		return (parentBranch != null) ? parentBranch + "." + kind + n : kind + n;
	}

	public static boolean isDirectChild(String branchId, @Nullable String parentBranch) {
		if (parentBranch == null) {
			return branchId.indexOf('.') < 0;
		}
		return branchId.startsWith(parentBranch + ".") && branchId.indexOf('.', parentBranch.length() + 1) < 0;
	}

	/**
	 * The number of a branch among its siblings of the same kind: 12 for {@code r1.b12}.
	 */
	public static int number(String branchId) {
		int last = branchId.lastIndexOf('.') + 1;
		return Integer.parseInt(branchId, last + 1, branchId.length(), 10);
	}

}
