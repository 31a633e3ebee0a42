package io.dtx.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Adds the headers of the current global transaction ({@code Dtx-Xid} and the like) to
 * every record sent inside one. Kafka calls it on the sending thread, where the context
 * is bound; dtx adds it to the {@code interceptor.classes} of Spring Boot's producer
 * factory, and an application with its own factory lists it there itself.
 */
public class DtxProducerInterceptor implements ProducerInterceptor<Object, Object> {

	@Override
	public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction != null && record.headers().lastHeader(DtxHeaders.XID) == null) {
			ContextHeaders.writeTransaction(transaction,
					(name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
		}
		return record;
	}

	@Override
	public void onAcknowledgement(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
	}

	@Override
	public void close() {
	}

	@Override
	public void configure(Map<String, ?> configs) {
	}

}
