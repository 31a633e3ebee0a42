package io.dtx.notify;

import java.util.Collection;
import java.util.Set;

import io.dtx.jdbc.DtxTables;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a notification received, whether it was posted to the receiver or found by
 * reconciliation: the handler of its type runs in one local transaction with an entry of
 * the inbox keyed by sender and id, so a notification that arrives twice, by either way,
 * is applied once.
 */
final class NotificationIntake {

	private static final Log logger = LogFactory.getLog(NotificationIntake.class);

	private final NotificationHandlers handlers;

	private final NotificationInbox inbox;

	private final TransactionTemplate transaction;

	private final JsonMapper jsonMapper;

	NotificationIntake(NotificationHandlers handlers, DtxTables tables, PlatformTransactionManager transactionManager,
			JsonMapper jsonMapper) {
		this.handlers = handlers;
		this.inbox = new NotificationInbox(tables);
		this.transaction = new TransactionTemplate(transactionManager);
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Applies the notification unless it was before; says what came of it.
	 */
	Outcome apply(String sender, NotificationEnvelope envelope) {
		NotificationHandlers.Handler handler = this.handlers.find(envelope.type());
		if (handler == null) {
			// the sender tries again on its schedule: a handler deployed meanwhile still gets it
			return new Outcome(Result.NO_HANDLER, "no @NotificationHandler for type '" + envelope.type() + "'");
		}
		Object payload;
		try {
			payload = this.jsonMapper.treeToValue(envelope.payload(),
					this.jsonMapper.constructType(handler.payloadType()));
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return new Outcome(Result.UNBINDABLE,
					"the payload does not bind to " + handler.payloadType().getTypeName() + ": " + ex.getMessage());
		}
		NotificationContext context = new NotificationContext(envelope.id(), envelope.type(), sender,
				envelope.createdAt());
		try {
			Boolean applied = this.transaction.execute((status) -> {
				if (!this.inbox.receive(sender, envelope.id())) {
					return false;
				}
				handler.invoke(payload, context);
				return true;
			});
			return Boolean.TRUE.equals(applied) ? new Outcome(Result.APPLIED, "applied")
					: new Outcome(Result.DUPLICATE, "duplicate");
		}
		catch (RuntimeException ex) {
			logger.warn("Notification " + envelope.id() + " (" + envelope.type() + ") from " + sender + ": "
					+ handler.beanName() + "." + handler.method().getName() + " failed, rolled back: " + ex, ex);
			return new Outcome(Result.FAILED, "the handler failed; nothing was applied");
		}
	}

	/**
	 * The ids among {@code ids} that the inbox holds for {@code sender}.
	 */
	Set<String> received(String sender, Collection<String> ids) {
		return this.inbox.received(sender, ids);
	}

	/**
	 * What came of a notification received.
	 */
	enum Result {

		/** Its handler ran and committed with the inbox entry. */
		APPLIED,

		/** The inbox held it already: nothing ran. */
		DUPLICATE,

		/** No handler takes its type. */
		NO_HANDLER,

		/** Its payload does not bind to the handler's parameter. */
		UNBINDABLE,

		/** The handler threw, or its transaction failed: rolled back. */
		FAILED

	}

	/**
	 * A result and the words that explain it.
	 */
	record Outcome(Result result, String message) {

	}

}
