package io.dtx.saga.orchestration;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.dtx.aop.AnnotatedMethods;
import io.dtx.core.DtxWiringException;
import io.dtx.core.ErrorText;
import io.dtx.fence.BranchFence;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.RecordHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The participant side: every {@link SagaCommandHandler} method of the application's
 * beans, found once the singletons exist, and a listener per channel that runs each command
 * through its handler in one local transaction with its inbox entry (keyed by the command's
 * id, so a command sent or delivered again is applied once), its fence row where the fence
 * is set up, and its reply.
 */
public class SagaParticipants implements SmartInitializingSingleton, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SagaParticipants.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final Inbox inbox;

	private final Outbox outbox;

	private final JsonMapper jsonMapper;

	private final SagaListeners listeners;

	private final @Nullable BranchFence fence;

	// channel, then command type
	private final Map<String, Map<String, Handler>> handlers = new LinkedHashMap<>();

	private volatile boolean running;

	public SagaParticipants(ConfigurableListableBeanFactory beanFactory, Inbox inbox, Outbox outbox, JsonMapper jsonMapper,
			SagaListeners listeners, @Nullable BranchFence fence) {
		this.beanFactory = beanFactory;
		this.inbox = inbox;
		this.outbox = outbox;
		this.jsonMapper = jsonMapper;
		this.listeners = listeners;
		this.fence = fence;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.beanFactory.getBeanNamesForType(Object.class, false, false)) {
			Class<?> type = this.beanFactory.getType(beanName, false);
			if (type == null) {
				continue;
			}
			Map<Method, SagaCommandHandler> methods = MethodIntrospector.selectMethods(type,
					(MethodIntrospector.MetadataLookup<SagaCommandHandler>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, SagaCommandHandler.class));
			// "${...}" placeholders resolved, as in @KafkaListener's topics
			methods.forEach((method, annotation) -> add(beanName, method,
					Objects.requireNonNullElse(this.beanFactory.resolveEmbeddedValue(annotation.value()), "")));
		}
	}

	private void add(String beanName, Method method, String channel) {
		if (channel.isBlank()) {
			throw new DtxWiringException(beanName, method, "Bean '" + beanName + "': "
					+ AnnotatedMethods.describe(method) + " is a @SagaCommandHandler of no channel",
					"Name the channel its commands come on: @SagaCommandHandler(\"payment\")");
		}
		if (method.getParameterCount() != 1) {
			throw new DtxWiringException(beanName, method, "Bean '" + beanName + "': @SagaCommandHandler "
					+ AnnotatedMethods.describe(method) + " takes " + method.getParameterCount() + " parameters",
					"Give it exactly one, the command");
		}
		String commandType = method.getParameterTypes()[0].getSimpleName();
		Handler previous = this.handlers.computeIfAbsent(channel, (key) -> new LinkedHashMap<>())
			.put(commandType, new Handler(beanName, method));
		if (previous != null) {
			throw new DtxWiringException(beanName, method, "Bean '" + beanName + "': @SagaCommandHandler(\"" + channel
					+ "\") " + AnnotatedMethods.describe(method) + " and bean '" + previous.beanName + "': "
					+ AnnotatedMethods.describe(previous.method) + " both handle " + commandType,
					"Keep one handler per channel and command type");
		}
	}

	@Override
	public void start() {
		this.handlers.keySet()
			.forEach((channel) -> this.listeners.listen(channel, "dtx-saga-" + channel,
					(record) -> handle(channel, record)));
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

	private void handle(String channel, ConsumerRecord<String, byte[]> record) {
		String sagaId = RecordHeaders.text(record, SagaHeaders.SAGA_ID);
		String commandId = RecordHeaders.text(record, SagaHeaders.COMMAND_ID);
		String replyTo = RecordHeaders.text(record, SagaHeaders.REPLY_TO);
		String commandType = RecordHeaders.text(record, SagaHeaders.COMMAND_TYPE);
		if (sagaId == null || commandId == null || replyTo == null || commandType == null) {
			logger.error("A record on " + channel + " at offset " + record.offset() + " of partition "
					+ record.partition() + " is no saga command (it lacks the saga, command or reply headers): dropped");
			return;
		}
		try (MDC.MDCCloseable mdc = MDC.putCloseable(SagaOrchestrator.MDC_KEY, sagaId)) {
			handle(channel, record, sagaId, commandId, replyTo, commandType);
		}
	}

	private void handle(String channel, ConsumerRecord<String, byte[]> record, String sagaId, String commandId,
			String replyTo, String commandType) {
		String consumer = "dtx-saga:" + channel;
		Handler handler = this.handlers.get(channel).get(commandType);
		if (handler == null) {
			this.inbox.receive(consumer, commandId, () -> reply(replyTo, sagaId, commandId, false,
					"no handler of " + commandType + " on " + channel));
			return;
		}
		try {
			this.inbox.receive(consumer, commandId, () -> {
				Fenced fenced = fence(record, sagaId, handler);
				if (fenced == Fenced.RUN) {
					reply(replyTo, sagaId, commandId, true, handler.invoke(SagaListeners.value(record)));
				}
				else if (fenced == Fenced.UNDONE_BEFORE) {
					reply(replyTo, sagaId, commandId, false, "its compensation came first: refused, nothing done");
				}
				else if (fenced == Fenced.NOTHING_TO_UNDO) {
					reply(replyTo, sagaId, commandId, true, null);
				}
			});
		}
		catch (HandlerFailure ex) {
			// its transaction rolled back: the failure reply, with the inbox entry, in one of its own
			this.inbox.receive(consumer, commandId,
					() -> reply(replyTo, sagaId, commandId, false, ErrorText.of(ex.getCause())));
		}
	}

	/**
	 * Where the fence is set up (the coordinator's table in this database), a command and the
	 * compensation of its step meet on the fence row of the saga and the step: a compensation
	 * that comes first leaves a mark, does nothing, and the late command is refused; one that
	 * comes after the command, or again, undoes it once. A compensation of a command this
	 * service does not take runs unfenced: the command's row, if any, is in another database.
	 */
	private Fenced fence(ConsumerRecord<String, byte[]> record, String sagaId, Handler handler) {
		String step = RecordHeaders.text(record, SagaHeaders.STEP);
		String compensates = RecordHeaders.text(record, SagaHeaders.COMPENSATES);
		BranchFence fence = this.fence;
		if (fence == null || step == null) {
			return Fenced.RUN;
		}
		String action = SagaRetention.FENCE_ACTION_PREFIX + handler.method.getName();
		if (compensates == null) {
			return switch (fence.enterTry(sagaId, step, action, new String(SagaListeners.value(record),
					StandardCharsets.UTF_8))) {
				case RUN -> Fenced.RUN;
				case REFUSED -> Fenced.UNDONE_BEFORE;
				case ALREADY_TRIED -> {
					// the step's command under another id: never sent so, unless by hand
					logger.warn("Saga " + sagaId + ": step " + step + " was handled before, under another command;"
							+ " this one is dropped");
					yield Fenced.DROPPED;
				}
			};
		}
		if (!this.handlers.containsKey(compensates)) {
			return Fenced.RUN;
		}
		return switch (fence.enterCancel(sagaId, step, action)) {
			case RUN -> Fenced.RUN;
			case EMPTY, ALREADY_DONE -> Fenced.NOTHING_TO_UNDO;
		};
	}

	private enum Fenced {

		RUN, UNDONE_BEFORE, NOTHING_TO_UNDO, DROPPED

	}

	private void reply(String replyTo, String sagaId, String commandId, boolean success, @Nullable Object payload) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(SagaHeaders.SAGA_ID, sagaId);
		headers.put(SagaHeaders.COMMAND_ID, commandId);
		headers.put(SagaHeaders.OUTCOME, success ? SagaHeaders.SUCCESS : SagaHeaders.FAILURE);
		// JSON whatever the reply is: the outbox would send a String as it is
		this.outbox.publish(replyTo, sagaId, this.jsonMapper.writeValueAsBytes(payload), headers);
	}

	private final class Handler {

		private final String beanName;

		private final Method method;

		Handler(String beanName, Method method) {
			this.beanName = beanName;
			this.method = method;
		}

		// a command that is not JSON of the handler's parameter is refused as the handler would refuse it
		@Nullable Object invoke(byte[] command) {
			try {
				Object parsed = SagaParticipants.this.jsonMapper.readValue(command, this.method.getParameterTypes()[0]);
				return AnnotatedMethods.invoke(SagaParticipants.this.beanFactory.getBean(this.beanName), this.method,
						new Object[] { parsed });
			}
			catch (TransientDataAccessException | RecoverableDataAccessException | CannotCreateTransactionException ex) {
				// the database away, not the command refused: delivered again, tried again
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new HandlerFailure(ex);
			}
		}

	}

	// the handler refused the command: its exception is the failure reply
	private static final class HandlerFailure extends RuntimeException {

		HandlerFailure(RuntimeException cause) {
			super(cause);
		}

	}

}
