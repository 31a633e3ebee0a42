package io.dtx.message;

import java.util.Map;
import java.util.regex.Pattern;

import io.dtx.core.DtxHeaders;
import io.dtx.web.RequestSigner;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The check-back a resolver sends for a half message that got no decision: answers what
 * the message's barrier holds, leaving a rolled-back one where there is none. Only
 * requests signed with {@code dtx.http.secret} are served; anything else is refused before
 * the barrier is read or written.
 */
@RestController
public class MessageCheckBack {

	static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

	private static final Log logger = LogFactory.getLog(MessageCheckBack.class);

	private final RequestSigner signer;

	private final MessageBarrier barrier;

	public MessageCheckBack(RequestSigner signer, MessageBarrier barrier) {
		this.signer = signer;
		this.barrier = barrier;
	}

	@GetMapping("${dtx.http.base-path:/dtx}/messages/{id}")
	public ResponseEntity<Map<String, String>> state(HttpServletRequest request, @PathVariable String id) {
		if (!this.signer.verify(request.getMethod(), request.getRequestURI(), request.getHeader(DtxHeaders.TIMESTAMP),
				request.getHeader(DtxHeaders.SIGNATURE), new byte[0])) {
			return answer(HttpStatus.UNAUTHORIZED, Map.of("error", "missing or invalid " + DtxHeaders.SIGNATURE));
		}
		if (!MESSAGE_ID.matcher(id).matches()) {
			return answer(HttpStatus.BAD_REQUEST, Map.of("error", "not a message id: " + id));
		}
		try {
			return answer(HttpStatus.OK, Map.of("id", id, "state", this.barrier.checkBack(id).name()));
		}
		catch (DataAccessException ex) {
			// the resolver asks again later: an answer it could act on must come from the database
			logger.warn("Check-back of message " + id + " could not read its barrier: " + ex);
			return answer(HttpStatus.SERVICE_UNAVAILABLE, Map.of("error", "the barrier could not be read: " + ex));
		}
	}

	private static ResponseEntity<Map<String, String>> answer(HttpStatus status, Map<String, String> body) {
		return ResponseEntity.status(status).body(body);
	}

}
