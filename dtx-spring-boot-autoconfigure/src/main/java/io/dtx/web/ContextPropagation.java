package io.dtx.web;

import java.net.URI;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantLog;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.Participant;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens a branch for a service about to be called inside a global transaction: records
 * the callee as a participant first, durably, so that phase two reaches it even if the
 * call times out, then names the headers that carry the context to it. Every HTTP client
 * dtx supports goes through here.
 */
public class ContextPropagation {

	private final GlobalTransactionLog log;

	private final ParticipantLog participants;

	private final TransactionTemplate ownTransaction;

	private final RequestSigner signer;

	private final String basePath;

	private final Supplier<String> selfUrl;

	public ContextPropagation(GlobalTransactionLog log, ParticipantLog participants,
			PlatformTransactionManager transactionManager, RequestSigner signer, String basePath,
			Supplier<String> selfUrl) {
		this.log = log;
		this.participants = participants;
		this.ownTransaction = new TransactionTemplate(transactionManager,
				new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW));
		this.signer = signer;
		this.basePath = basePath;
		this.selfUrl = selfUrl;
	}

	/**
	 * Opens a branch of {@code transaction} for the service at {@code uri} and hands each
	 * header of the context to {@code header}.
	 */
	void open(GlobalTransaction transaction, URI uri, BiConsumer<String, String> header) {
		if (!this.signer.hasSecret()) {
			throw new IllegalStateException("[" + transaction.xid() + "] cannot call " + uri
					+ " inside a global transaction: dtx.http.secret is not set, so phase two could not reach it");
		}
		Participant participant = transaction
			.addParticipant(uri.getScheme() + "://" + uri.getRawAuthority() + this.basePath);
		this.ownTransaction.executeWithoutResult((status) -> {
			// a participant in doubt asks the coordinator, which must know the transaction by then
			if (transaction.parentBranch() == null && !transaction.isRecorded()) {
				this.log.beginIfAbsent(transaction);
			}
			this.participants.register(transaction.xid(), participant);
		});
		if (transaction.parentBranch() == null) {
			transaction.markRecorded();
		}
		header.accept(DtxHeaders.XID, transaction.xid());
		header.accept(DtxHeaders.BRANCH, participant.branchId());
		header.accept(DtxHeaders.MODE, transaction.mode());
		header.accept(DtxHeaders.DEADLINE, Long.toString(transaction.deadline().toEpochMilli()));
		String coordinator = transaction.coordinatorUrl();
		header.accept(DtxHeaders.COORDINATOR, (coordinator != null) ? coordinator : this.selfUrl.get());
	}

}
