package io.dtx.core;

/**
 * A service a global transaction called: the branch opened for it, and the URL of its
 * phase-two endpoint.
 *
 * @param branchId the branch the callee runs under
 * @param url where the callee takes its phase two
 */
public record Participant(String branchId, String url) {

}
