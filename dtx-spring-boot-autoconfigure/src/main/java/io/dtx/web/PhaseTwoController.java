package io.dtx.web;

import java.util.Map;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModes;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalState;
import io.dtx.fence.BranchFence;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints a coordinator calls: phase two of a branch it opened in this service;
 * for a participant in doubt, the outcome of a transaction this service started; and for
 * an operator's view that spans services, the branches a transaction ran here.
 * Only requests signed with {@code dtx.http.secret} are served; anything else is refused
 * before any state is read or changed.
 */
@RestController
public class PhaseTwoController {

	private final RequestSigner signer;

	private final JsonMapper mapper;

	private final GlobalTransactionLog log;

	private final TransactionModes modes;

	private final BranchFence fence;

	public PhaseTwoController(RequestSigner signer, JsonMapper mapper, GlobalTransactionLog log,
			TransactionModes modes, BranchFence fence) {
		this.signer = signer;
		this.mapper = mapper;
		this.log = log;
		this.modes = modes;
		this.fence = fence;
	}

	@PostMapping("${dtx.http.base-path:/dtx}/phase-two")
	public ResponseEntity<Map<String, String>> phaseTwo(HttpServletRequest request,
			@RequestBody(required = false) byte @Nullable [] body) {
		byte[] content = (body != null) ? body : new byte[0];
		if (!verified(request, content)) {
			return refuse(HttpStatus.UNAUTHORIZED, "missing or invalid " + DtxHeaders.SIGNATURE);
		}
		PhaseTwoRequest phaseTwo = PhaseTwoRequest.parse(this.mapper, content);
		if (phaseTwo == null) {
			return refuse(HttpStatus.BAD_REQUEST, "expected {\"xid\", \"branch\", \"mode\", \"decision\": "
					+ "\"confirm\" or \"cancel\"}");
		}
		TransactionMode mode = this.modes.get(phaseTwo.mode());
		if (mode == null) {
			return refuse(HttpStatus.BAD_REQUEST, phaseTwo.mode() + " transactions are not enabled here");
		}
		mode.completeRemoteBranch(phaseTwo.xid(), phaseTwo.branch(), phaseTwo.confirm());
		return ResponseEntity.ok(Map.of("xid", phaseTwo.xid(), "branch", phaseTwo.branch(), "decision",
				phaseTwo.confirm() ? "confirm" : "cancel"));
	}

	@GetMapping("${dtx.http.base-path:/dtx}/transactions/{xid}")
	public ResponseEntity<Map<String, String>> outcome(HttpServletRequest request, @PathVariable String xid) {
		if (!verified(request, new byte[0])) {
			return refuse(HttpStatus.UNAUTHORIZED, "missing or invalid " + DtxHeaders.SIGNATURE);
		}
		GlobalState state = DtxServerFilter.XID.matcher(xid).matches() ? this.log.state(xid) : null;
		// never recorded here: it cannot have been decided to commit (presumed abort)
		return ResponseEntity.ok(Map.of("xid", xid, "state", (state != null) ? state.name() : "CANCELLED"));
	}

	@GetMapping("${dtx.http.base-path:/dtx}/transactions/{xid}/branches")
	public ResponseEntity<?> branches(HttpServletRequest request, @PathVariable String xid) {
		if (!verified(request, new byte[0])) {
			return refuse(HttpStatus.UNAUTHORIZED, "missing or invalid " + DtxHeaders.SIGNATURE);
		}
		if (!DtxServerFilter.XID.matcher(xid).matches()) {
			return refuse(HttpStatus.BAD_REQUEST, "not a transaction id: " + xid);
		}
		return ResponseEntity.ok(Map.of("xid", xid, "branches", this.fence.branches(xid)));
	}

	private boolean verified(HttpServletRequest request, byte[] body) {
		return this.signer.verify(request.getMethod(), request.getRequestURI(),
				request.getHeader(DtxHeaders.TIMESTAMP), request.getHeader(DtxHeaders.SIGNATURE), body);
	}

	private static ResponseEntity<Map<String, String>> refuse(HttpStatus status, String reason) {
		return ResponseEntity.status(status).body(Map.of("error", reason));
	}

	/**
	 * The body of a phase-two request.
	 */
	record PhaseTwoRequest(String xid, String branch, String mode, boolean confirm) {

		static @Nullable PhaseTwoRequest parse(JsonMapper mapper, byte[] body) {
			try {
				JsonNode json = mapper.readTree(body);
				String xid = text(json, "xid");
				String branch = text(json, "branch");
				String mode = text(json, "mode");
				String decision = text(json, "decision");
				if (xid == null || !DtxServerFilter.XID.matcher(xid).matches() || branch == null
						|| !DtxServerFilter.BRANCH.matcher(branch).matches() || mode == null
						|| !TransactionMode.NAME.matcher(mode).matches()
						|| !("confirm".equals(decision) || "cancel".equals(decision))) {
					return null;
				}
				return new PhaseTwoRequest(xid, branch, mode, "confirm".equals(decision));
			}
			catch (JacksonException | IllegalArgumentException ex) {
				return null;
			}
		}

		private static @Nullable String text(@Nullable JsonNode json, String field) {
			JsonNode value = (json != null) ? json.get(field) : null;
			return (value != null && value.isString()) ? value.asString() : null;
		}

	}

}
