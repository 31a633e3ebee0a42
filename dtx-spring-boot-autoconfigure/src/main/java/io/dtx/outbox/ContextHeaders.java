package io.dtx.outbox;

import java.util.function.BiConsumer;

import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import org.jspecify.annotations.Nullable;

/**
 * The headers that carry the current thread's context in a Kafka record: the global
 * transaction, when one is bound, and the trace context (W3C {@code traceparent} and the
 * like), when Micrometer Tracing has a current span.
 */
public class ContextHeaders {

	private final @Nullable TraceHeaders trace;

	/**
	 * The headers of the global transaction, and those of {@code trace} where given.
	 */
	public ContextHeaders(@Nullable TraceHeaders trace) {
		this.trace = trace;
	}

	/**
	 * Hands each header of the current context to {@code header}.
	 */
	public void write(BiConsumer<String, String> header) {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction != null) {
			writeTransaction(transaction, header);
		}
		if (this.trace != null) {
			this.trace.write(header);
		}
	}

	/**
	 * The headers of a global transaction. A record opens no branch: its consumer runs
	 * later, in a transaction of its own, and learns the transaction it came from.
	 */
	static void writeTransaction(GlobalTransaction transaction, BiConsumer<String, String> header) {
		header.accept(DtxHeaders.XID, transaction.xid());
		header.accept(DtxHeaders.MODE, transaction.mode());
		header.accept(DtxHeaders.DEADLINE, Long.toString(transaction.deadline().toEpochMilli()));
		String coordinator = transaction.coordinatorUrl();
		if (coordinator != null) {
			header.accept(DtxHeaders.COORDINATOR, coordinator);
		}
	}

	/**
	 * The trace context of the current thread, as headers.
	 */
	@FunctionalInterface
	public interface TraceHeaders {

		void write(BiConsumer<String, String> header);

	}

}
