package io.dtx.saga.orchestration;

import io.dtx.core.DtxHeaders;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.RecordHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.context.SmartLifecycle;

/**
 * The orchestrator's side: the listener on its reply channel, which applies each reply in
 * one local transaction with its inbox entry, so a reply delivered again drives its saga
 * once. Instances of the orchestrator share the channel's partitions as one group; replies
 * are keyed by saga, so one saga's replies go to one instance at a time.
 */
public class SagaReplies implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SagaReplies.class);

	private final SagaOrchestrator orchestrator;

	private final Inbox inbox;

	private final SagaListeners listeners;

	private final String replyChannel;

	private volatile boolean running;

	public SagaReplies(SagaOrchestrator orchestrator, Inbox inbox, SagaListeners listeners, String replyChannel) {
		this.orchestrator = orchestrator;
		this.inbox = inbox;
		this.listeners = listeners;
		this.replyChannel = replyChannel;
	}

	@Override
	public void start() {
		this.listeners.listen(this.replyChannel, this.replyChannel + ".orchestrator", this::handle);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.listeners.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void handle(ConsumerRecord<String, byte[]> record) {
		String messageId = RecordHeaders.text(record, DtxHeaders.MESSAGE_ID);
		String sagaId = RecordHeaders.text(record, SagaHeaders.SAGA_ID);
		String commandId = RecordHeaders.text(record, SagaHeaders.COMMAND_ID);
		String outcome = RecordHeaders.text(record, SagaHeaders.OUTCOME);
		if (messageId == null || sagaId == null || commandId == null || outcome == null) {
			logger.error("A record on " + this.replyChannel + " at offset " + record.offset() + " of partition "
					+ record.partition() + " is no saga reply (it lacks the message, saga, command or outcome headers):"
					+ " dropped");
			return;
		}
		this.inbox.receive("dtx-saga-replies", messageId, () -> this.orchestrator.onReply(sagaId, commandId,
				SagaHeaders.SUCCESS.equals(outcome), SagaListeners.value(record)));
	}

}
