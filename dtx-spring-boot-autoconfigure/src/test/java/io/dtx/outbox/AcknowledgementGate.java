package io.dtx.outbox;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Holds back the broker's acknowledgements to the producers it is configured in, from
 * {@link #hold()} to {@link #release()}: a relay whose sends are on their way and
 * unanswered is in the middle of its pass, holding its buckets, for as long as the test
 * wants. It holds the producer's network thread, so a test opens it in a {@code finally}
 * block (a producer cannot close while it holds). Only the test that holds it may have
 * it configured.
 */
public class AcknowledgementGate implements ProducerInterceptor<Object, Object> {

	private static volatile CountDownLatch gate = new CountDownLatch(0);

	private static volatile boolean holding;

	static void hold() {
		holding = false;
		gate = new CountDownLatch(1);
	}

	static void release() {
		gate.countDown();
	}

	/**
	 * Whether an acknowledgement has come since {@link #hold()}, and is held.
	 */
	static boolean holding() {
		return holding;
	}

	@Override
	public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
		return record;
	}

	@Override
	public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
		CountDownLatch current = gate;
		// a send refused at once is reported on the sending thread, which must not block
		if (exception == null && current.getCount() > 0) {
			holding = true;
			try {
				current.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void configure(Map<String, ?> configs) {
	}

	@Override
	public void close() {
	}

}
