package io.dtx.notify;

import java.util.List;
import java.util.UUID;

import io.dtx.jdbc.CallerTransaction;
import io.dtx.jdbc.DtxTables;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.IllegalTransactionStateException;

/**
 * Notifies another party of what happened here, at best effort: each notification is
 * written in the caller's transaction and posted to its endpoint by the dispatcher once,
 * and only if, that transaction commits, again on the endpoint's schedule until the
 * endpoint answers 2xx. A notification whose schedule runs out is exhausted: listed by
 * {@link #exhausted(int)} and sent again by {@link #retry(String)}.
 */
public class Notifications {

	// the columns' widths
	private static final int MAX_ID = 64;

	private static final int MAX_NAME = 128;

	private final NotificationStore store;

	private final JsonMapper jsonMapper;

	private final Runnable wakeDispatcher;

	public Notifications(DtxTables tables, JsonMapper jsonMapper, Runnable wakeDispatcher) {
		this.store = new NotificationStore(tables);
		this.jsonMapper = jsonMapper;
		this.wakeDispatcher = wakeDispatcher;
	}

	/**
	 * Notifies {@code endpoint} (a name, resolved by {@link NotificationEndpoints} when the
	 * notification is sent) of an event of {@code type}, with {@code payload} as JSON.
	 * Returns the notification's id, a random UUID.
	 * @throws IllegalTransactionStateException when no transaction is active
	 */
	public String notify(String endpoint, String type, Object payload) {
		String id = UUID.randomUUID().toString();
		notify(id, endpoint, type, payload);
		return id;
	}

	/**
	 * Notifies under an id of the caller's choosing (at most 64 characters), such as the
	 * id of the payment it tells about: a notification of that id written before, in this
	 * transaction or another, makes this call write nothing and return false.
	 * @throws IllegalTransactionStateException when no transaction is active
	 */
	public boolean notify(String id, String endpoint, String type, Object payload) {
		CallerTransaction.require("Notifications#notify to '" + endpoint + "'", "it is sent");
		check("id", id, MAX_ID);
		check("endpoint", endpoint, MAX_NAME);
		check("type", type, MAX_NAME);
		boolean written = this.store.insert(id, endpoint, type, this.jsonMapper.writeValueAsString(payload));
		if (written) {
			// one wake-up per transaction, however many notifications it writes
			CallerTransaction.afterCommitOnce(this, this.wakeDispatcher);
		}
		return written;
	}

	/**
	 * The exhausted notifications, those longest exhausted first.
	 */
	public List<ExhaustedNotification> exhausted(int limit) {
		return this.store.exhausted(limit);
	}

	/**
	 * How many notifications are exhausted.
	 */
	public long exhaustedCount() {
		return this.store.backlog().exhausted();
	}

	/**
	 * Makes an exhausted notification due now, with a new round of its schedule; false if
	 * no exhausted notification has that id.
	 */
	public boolean retry(String id) {
		boolean retried = this.store.retry(id);
		if (retried) {
			this.wakeDispatcher.run();
		}
		return retried;
	}

	private static void check(String what, String value, int maxLength) {
		if (value.isBlank() || value.length() > maxLength) {
			throw new IllegalArgumentException("A notification's " + what + " must hold 1 to " + maxLength
					+ " characters: '" + value + "'");
		}
	}

}
