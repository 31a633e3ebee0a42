package io.dtx.ops;

import java.util.List;

import io.dtx.outbox.DeadMessage;
import io.dtx.outbox.Outbox;
import org.jspecify.annotations.Nullable;

/**
 * Outbox messages the relay gave up on, through {@link Outbox}, by message id.
 */
public final class DeadMessages implements ParkedWork {

	private final Outbox outbox;

	public DeadMessages(Outbox outbox) {
		this.outbox = outbox;
	}

	@Override
	public String name() {
		return "dead-messages";
	}

	@Override
	public String meterName() {
		return "dtx.outbox.dead";
	}

	@Override
	public long count() {
		return this.outbox.deadCount();
	}

	@Override
	public List<DeadMessage> list(int limit) {
		return this.outbox.deadMessages(limit);
	}

	@Override
	public @Nullable String retry(String messageId) {
		return this.outbox.retry(messageId) ? "pending again, attempts reset" : null;
	}

	@Override
	public @Nullable String discard(String messageId) {
		return this.outbox.discard(messageId) ? "deleted unsent" : null;
	}

}
