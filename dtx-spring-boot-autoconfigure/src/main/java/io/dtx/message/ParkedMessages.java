package io.dtx.message;

import java.util.List;

import io.dtx.ops.ParkedWork;
import org.jspecify.annotations.Nullable;

/**
 * The half messages the resolver parked, for an operator: listed, counted and retried
 * through the endpoint {@code dtx} at {@code parked-messages}. Not discarded: the resolver
 * cannot tell whether their local transactions committed, so dropping one could lose a
 * message its producer's database holds.
 */
public final class ParkedMessages implements ParkedWork {

	private final MessageResolver resolver;

	public ParkedMessages(MessageResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public String name() {
		return "parked-messages";
	}

	@Override
	public String meterName() {
		return "dtx.messages.parked";
	}

	@Override
	public long count() {
		return this.resolver.parkedCount();
	}

	@Override
	public List<ParkedMessage> list(int limit) {
		return this.resolver.parked(limit);
	}

	@Override
	public @Nullable String retry(String messageId) {
		return this.resolver.retry(messageId) ? "checked back again, a new round of max-checks" : null;
	}

	@Override
	public @Nullable String discard(String messageId) {
		throw new UnsupportedOperationException("a parked message cannot be discarded: whether its local transaction"
				+ " committed is known only to its producer, which did not answer; retry it once the producer is back");
	}

}
