package io.dtx.core;

/**
 * The branch a confirm, cancel or compensation runs for; such a method may declare it as
 * its last parameter.
 *
 * @param xid the global transaction id
 * @param branchId the branch, unique within its global transaction
 * @param action the action the branch ran, as {@code bean#name}
 */
public record BranchContext(String xid, String branchId, String action) {

}
