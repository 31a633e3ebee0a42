package io.dtx.fence;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A branch as its fence row holds it, whatever its state: what an operator reads, here
 * and, through the signed endpoint, of the services a transaction called.
 *
 * @param branchId the branch; ids with a dot lie under a branch another service opened
 * here
 * @param action the action, as {@code bean#name}, or {@value BranchFence#REMOTE_BRANCH}
 * for the row that stands for a branch another service opened here
 * @param state {@code TRIED}, {@code CONFIRMED} or {@code CANCELLED}
 * @param arguments the arguments of its try or forward step, as JSON
 * @param result what its forward step returned, as JSON
 * @param createdAt when it was entered
 * @param updatedAt when its state last changed
 */
public record FencedBranch(String branchId, String action, String state, @Nullable String arguments,
		@Nullable String result, Instant createdAt, Instant updatedAt) {

	/**
	 * Whether this branch is the one a caller opened here, or lies under it.
	 */
	public boolean under(String callerBranchId) {
		return this.branchId.equals(callerBranchId) || this.branchId.startsWith(callerBranchId + ".");
	}

}
