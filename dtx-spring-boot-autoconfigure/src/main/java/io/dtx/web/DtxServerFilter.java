package io.dtx.web;

import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

import io.dtx.coordinator.TransactionModes;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Joins a request that carries a global transaction to it: the branches the request
 * runs here belong to the caller's transaction, under the branch the caller opened for
 * this service. A malformed context, or one of a mode not enabled here, is refused before
 * anything runs.
 */
public class DtxServerFilter extends OncePerRequestFilter {

	static final Pattern XID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	static final Pattern BRANCH = Pattern.compile("[a-z0-9.]{1,64}");

	private final TransactionModes modes;

	/**
	 * @param modes the modes enabled here: a request in any other is refused
	 */
	public DtxServerFilter(TransactionModes modes) {
		this.modes = modes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String xid = request.getHeader(DtxHeaders.XID);
		if (xid == null || GlobalTransactionContext.current() != null) {
			chain.doFilter(request, response);
			return;
		}
		GlobalTransaction transaction = joined(xid, request);
		if (transaction == null) {
			response.sendError(HttpStatus.BAD_REQUEST.value(), "Malformed " + DtxHeaders.XID + " context");
			return;
		}
		GlobalTransactionContext.bind(transaction);
		try {
			chain.doFilter(request, response);
		}
		finally {
			GlobalTransactionContext.clear();
		}
	}

	private @Nullable GlobalTransaction joined(String xid, HttpServletRequest request) {
		String branch = request.getHeader(DtxHeaders.BRANCH);
		String mode = request.getHeader(DtxHeaders.MODE);
		String deadline = request.getHeader(DtxHeaders.DEADLINE);
		if (!XID.matcher(xid).matches() || branch == null || !BRANCH.matcher(branch).matches() || mode == null
				|| this.modes.get(mode) == null || deadline == null) {
			return null;
		}
		try {
			return GlobalTransaction.joined(xid, mode,
					Instant.ofEpochMilli(Long.parseLong(deadline)), branch, request.getHeader(DtxHeaders.COORDINATOR));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
