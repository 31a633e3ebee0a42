package io.dtx.outbox.crash;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Stalls the relay's producer once the broker has acknowledged {@code dtx.crash.after-acks}
 * records, and says so: the relay is then in the middle of a batch, some of it on the
 * broker and none of it marked, which is where the test kills the JVM.
 */
public class StallingInterceptor implements ProducerInterceptor<Object, Object> {

	/** The line printed once the producer stalls. */
	public static final String STALLED = "OUTBOX-CRASH stalled after acknowledgements: ";

	private static final AtomicInteger acknowledged = new AtomicInteger();

	private int stallAfter = Integer.MAX_VALUE;

	@Override
	public void configure(Map<String, ?> configs) {
		this.stallAfter = Integer.getInteger("dtx.crash.after-acks", Integer.MAX_VALUE);
	}

	@Override
	public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
		return record;
	}

	@Override
	public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
		if (exception == null && acknowledged.incrementAndGet() == this.stallAfter) {
			System.out.println(STALLED + this.stallAfter);
			System.out.flush();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void close() {
	}

}
