package io.dtx.outbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a {@code @KafkaListener} method apply each message once: it runs through the
 * {@link Inbox}, in one local transaction with the inbox entry of the record's
 * {@code Dtx-Message-Id}, and a record seen before is dropped without calling it. The
 * method's own writes join that transaction.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InboxListener {

	/**
	 * The consumer's name in the inbox: the same across the instances of one consumer,
	 * different between consumers that each apply every message.
	 */
	String value();

}
