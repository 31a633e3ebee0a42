package io.dtx.outbox;


import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransactionContext;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Makes the record a listener handles known on its thread: the global transaction it
 * was sent in goes into the logging MDC under {@value GlobalTransactionContext#MDC_KEY},
 * and the record is kept for {@link InboxListener} to read its message id.
 */
public class DtxRecordInterceptor implements RecordInterceptor<Object, Object> {

	private static final ThreadLocal<ConsumerRecord<?, ?>> current = new ThreadLocal<>();

	/**
	 * The record the current thread's listener handles, if any.
	 */
	static @Nullable ConsumerRecord<?, ?> currentRecord() {
		return current.get();
	}

	@Override
	public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
			Consumer<Object, Object> consumer) {
		current.set(record);
		String xid = RecordHeaders.text(record, DtxHeaders.XID);
		if (xid != null) {
			MDC.put(GlobalTransactionContext.MDC_KEY, xid);
		}
		return record;
	}

	@Override
	public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
		current.remove();
		MDC.remove(GlobalTransactionContext.MDC_KEY);
	}

}
