package io.dtx.ops;

import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import io.dtx.core.GlobalState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The Actuator endpoint {@code dtx}, off until an application exposes it:
 * <ul>
 * <li>{@code GET /actuator/dtx}: counts of transactions and of each parked work;</li>
 * <li>{@code GET /actuator/dtx/transactions?mode=&state=&name=&olderThan=&page=&size=}:
 * transactions newest first, one page;</li>
 * <li>{@code GET /actuator/dtx/transactions/{xid}}: one in detail;</li>
 * <li>{@code GET /actuator/dtx/{parked}?size=}: a mode's parked work
 * ({@code failed-sagas}, {@code dead-messages}, {@code exhausted-notifications});</li>
 * <li>{@code POST /actuator/dtx/transactions/{xid}/retry|cancel},
 * {@code POST /actuator/dtx/{parked}/{id}/retry|discard}: an operator's action, logged at
 * WARN with who asked.</li>
 * </ul>
 * A web endpoint only: its answers are HTTP statuses with a reason (400 a malformed
 * request, 404 nothing of that id, 409 refused as the state stands), and a write needs the
 * principal that HTTP authentication gives.
 */
@WebEndpoint(id = "dtx")
public class DtxEndpoint {

	private static final Log logger = LogFactory.getLog(DtxEndpoint.class);

	static final int DEFAULT_SIZE = 20;

	static final int MAX_SIZE = 200;

	private final DtxOperations operations;

	public DtxEndpoint(DtxOperations operations) {
		this.operations = operations;
	}

	@ReadOperation
	public DtxOperations.Summary summary() {
		return this.operations.summary();
	}

	@ReadOperation
	public WebEndpointResponse<Object> list(@Selector String what, @Nullable String mode, @Nullable String state,
			@Nullable String name, @Nullable Duration olderThan, @Nullable Integer page, @Nullable Integer size) {
		int pageSize = (size != null) ? size : DEFAULT_SIZE;
		int pageNumber = (page != null) ? page : 0;
		if (pageNumber < 0 || pageSize < 1 || pageSize > MAX_SIZE) {
			return error(400, "page must be 0 or more and size 1 to " + MAX_SIZE);
		}
		if (DtxOperations.TRANSACTIONS.equals(what) && this.operations.hasTransactions()) {
			GlobalState wanted;
			try {
				wanted = (state != null) ? GlobalState.valueOf(state.toUpperCase(Locale.ROOT)) : null;
			}
			catch (IllegalArgumentException ex) {
				return error(400, "state must be one of " + Arrays.toString(GlobalState.values()));
			}
			if (olderThan != null && olderThan.isNegative()) {
				return error(400, "olderThan must not be negative");
			}
			String wantedMode = (mode != null) ? mode.toUpperCase(Locale.ROOT) : null;
			return new WebEndpointResponse<>(Map.of("page", pageNumber, "size", pageSize, "transactions",
					this.operations.transactions(wantedMode, wanted, name, olderThan, pageNumber, pageSize)));
		}
		ParkedWork work = this.operations.parked(what);
		if (work == null) {
			return error(404, "nothing named " + what + " here");
		}
		if (pageNumber != 0) {
			return error(400, what + " is listed from its first, with size only");
		}
		return new WebEndpointResponse<>(Map.of("size", pageSize, what, work.list(pageSize)));
	}

	@ReadOperation
	public WebEndpointResponse<Object> one(@Selector String what, @Selector String id) {
		if (!DtxOperations.TRANSACTIONS.equals(what) || !this.operations.hasTransactions()) {
			return error(404, "nothing named " + what + " here to look at one by one");
		}
		DtxOperations.TransactionDetail detail = this.operations.transaction(id);
		return (detail != null) ? new WebEndpointResponse<>(detail) : error(404, "no transaction " + id + " here");
	}

	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String what, @Selector String id, @Selector String action,
			SecurityContext security) {
		Principal principal = security.getPrincipal();
		String who = (principal != null) ? principal.getName() : "anonymous";
		WebEndpointResponse<Object> response = perform(what, id, action);
		Object body = response.getBody();
		String result = (body instanceof Outcome outcome) ? outcome.result()
				: (body instanceof Map<?, ?> map) ? String.valueOf(map.get("error")) : String.valueOf(body);
		logger.warn("dtx: " + who + " " + action + " " + what + "/" + id + ": " + response.getStatus() + " " + result);
		return response;
	}

	private WebEndpointResponse<Object> perform(String what, String id, String action) {
		try {
			if (DtxOperations.TRANSACTIONS.equals(what) && this.operations.hasTransactions()) {
				return switch (action) {
					case "retry" -> done(what, id, action, this.operations.retry(id));
					case "cancel" -> done(what, id, action, this.operations.cancel(id));
					default -> error(400, "a transaction is retried or cancelled, not " + action);
				};
			}
			ParkedWork work = this.operations.parked(what);
			if (work == null) {
				return error(404, "nothing named " + what + " here");
			}
			String result = switch (action) {
				case "retry" -> work.retry(id);
				case "discard" -> work.discard(id);
				default -> throw new IllegalArgumentException(what + " is retried or discarded, not " + action);
			};
			return (result != null) ? done(what, id, action, result) : error(404, "no " + what + " " + id + " here");
		}
		catch (NoSuchElementException ex) {
			return error(404, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			return error(400, ex.getMessage());
		}
		catch (IllegalStateException | UnsupportedOperationException ex) {
			return error(409, ex.getMessage());
		}
		catch (RuntimeException ex) {
			// the attempt ran and failed: recovery, or the mode, tries again on its schedule
			return new WebEndpointResponse<>(new Outcome(what, id, action, "attempt failed: " + ex), 500);
		}
	}

	private static WebEndpointResponse<Object> done(String what, String id, String action, String result) {
		return new WebEndpointResponse<>(new Outcome(what, id, action, result));
	}

	private static WebEndpointResponse<Object> error(int status, @Nullable String message) {
		return new WebEndpointResponse<>(Map.of("status", status, "error", String.valueOf(message)), status);
	}

	/**
	 * What an operator's action did.
	 */
	public record Outcome(String target, String id, String action, String result) {

	}

}
