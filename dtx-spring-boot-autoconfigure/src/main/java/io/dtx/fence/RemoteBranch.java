package io.dtx.fence;

import java.time.Instant;

import io.dtx.core.GlobalTransaction;
import org.jspecify.annotations.Nullable;

/**
 * A branch another service opened here, as its fence row remembers where it came from:
 * the mode, the deadline and the coordinator to ask when no phase two arrives.
 *
 * @param xid the global transaction id
 * @param branchId the branch the caller opened
 * @param mode the name of the transaction's mode; {@code null} if unknown
 * @param deadline when the transaction should have been decided
 * @param coordinatorUrl the base URL of the deciding service; {@code null} if unknown
 */
public record RemoteBranch(String xid, String branchId, @Nullable String mode, Instant deadline,
		@Nullable String coordinatorUrl) {

	// "MODE deadline-millis [coordinator-url]": a row's own format, read only by parse
	static String origin(GlobalTransaction joined) {
		String coordinator = joined.coordinatorUrl();
		return joined.mode() + " " + joined.deadline().toEpochMilli()
				+ ((coordinator != null) ? " " + coordinator : "");
	}

	static RemoteBranch parse(String xid, String branchId, @Nullable String origin) {
		String[] parts = (origin != null) ? origin.split(" ", 3) : new String[0];
		if (parts.length < 2) {
			// a row written without its origin: nobody to ask, so it waits for phase two
			return new RemoteBranch(xid, branchId, null, Instant.MAX, null);
		}
		return new RemoteBranch(xid, branchId, parts[0],
				Instant.ofEpochMilli(Long.parseLong(parts[1])), (parts.length > 2) ? parts[2] : null);
	}

}
