package io.dtx.outbox;

import java.util.function.Supplier;

import io.dtx.core.DtxHeaders;
import io.dtx.core.InvocationFailure;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs an {@link InboxListener} method through the {@link Inbox}. The message id comes
 * from a {@code ConsumerRecord} argument, or else from the record
 * {@link DtxRecordInterceptor} saw for the current thread.
 */
public final class InboxListenerInterceptor implements MethodInterceptor {

	/**
	 * Order of the advisor: outside {@code @Transactional}, whose transaction then joins
	 * the inbox's.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private final Supplier<Inbox> inbox;

	private InboxListenerInterceptor(Supplier<Inbox> inbox) {
		this.inbox = inbox;
	}

	/**
	 * The advisor of {@link InboxListener} methods; the inbox is looked up at the first
	 * call, not while proxies are made.
	 */
	public static Advisor advisor(Supplier<Inbox> inbox) {
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, InboxListener.class, true),
				new InboxListenerInterceptor(SingletonSupplier.of(inbox)));
		advisor.setOrder(ORDER);
		return advisor;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		InboxListener listener = AnnotatedElementUtils.findMergedAnnotation(invocation.getMethod(),
				InboxListener.class);
		if (listener == null) {
			return invocation.proceed();
		}
		String messageId = messageId(invocation);
		Object[] result = new Object[1];
		try {
			this.inbox.get()
				.receive(listener.value(), messageId, () -> result[0] = InvocationFailure.proceed(invocation));
		}
		catch (RuntimeException ex) {
			// the listener's own exception, checked ones too, for the container's error handler
			throw InvocationFailure.unwrap(ex);
		}
		return result[0];
	}

	private static String messageId(MethodInvocation invocation) {
		ConsumerRecord<?, ?> record = null;
		for (Object argument : invocation.getArguments()) {
			if (argument instanceof ConsumerRecord<?, ?> consumerRecord) {
				record = consumerRecord;
			}
		}
		if (record == null) {
			record = DtxRecordInterceptor.currentRecord();
		}
		String messageId = (record != null) ? RecordHeaders.text(record, DtxHeaders.MESSAGE_ID) : null;
		if (messageId == null) {
			throw new IllegalStateException("@InboxListener " + invocation.getMethod().toGenericString()
					+ " got a record without a " + DtxHeaders.MESSAGE_ID + " header (only messages sent through the "
					+ "outbox carry one), or was called outside a Kafka listener container");
		}
		return messageId;
	}

}
