package io.dtx.web;

import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;

import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.ParticipantLog;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries the current global transaction into an outgoing call (RestClient,
 * RestTemplate): records the callee as a participant first, durably, so that phase two
 * reaches it even if the call times out, then sends the context in headers.
 */
public class DtxClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	private final ParticipantLog participants;

	private final TransactionTemplate ownTransaction;

	private final RequestSigner signer;

	private final String basePath;

	private final Supplier<String> selfUrl;

	public DtxClientHttpRequestInterceptor(ParticipantLog participants, PlatformTransactionManager transactionManager,
			RequestSigner signer, String basePath, Supplier<String> selfUrl) {
		this.participants = participants;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.signer = signer;
		this.basePath = basePath;
		this.selfUrl = selfUrl;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null || request.getHeaders().containsHeader(DtxHeaders.XID)) {
			return execution.execute(request, body);
		}
		if (!this.signer.hasSecret()) {
			throw new IllegalStateException("[" + transaction.xid() + "] cannot call " + request.getURI()
					+ " inside a global transaction: dtx.http.secret is not set, so phase two could not reach it");
		}
		URI uri = request.getURI();
		ParticipantLog.Participant participant = transaction
			.addParticipant(uri.getScheme() + "://" + uri.getRawAuthority() + this.basePath);
		this.ownTransaction.executeWithoutResult((status) -> this.participants.register(transaction.xid(), participant));
		HttpHeaders headers = request.getHeaders();
		headers.set(DtxHeaders.XID, transaction.xid());
		headers.set(DtxHeaders.BRANCH, participant.branchId());
		headers.set(DtxHeaders.MODE, transaction.mode().name());
		headers.set(DtxHeaders.DEADLINE, Long.toString(transaction.deadline().toEpochMilli()));
		String coordinator = transaction.coordinatorUrl();
		headers.set(DtxHeaders.COORDINATOR, (coordinator != null) ? coordinator : this.selfUrl.get());
		return execution.execute(request, body);
	}

}
