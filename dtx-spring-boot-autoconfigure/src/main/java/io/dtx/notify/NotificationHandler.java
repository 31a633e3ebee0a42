package io.dtx.notify;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that applies the notifications of one type received at
 * {@code POST {dtx.http.base-path}/notifications/{sender}}. Its first parameter is the
 * payload, bound from JSON to the parameter's type; an optional second parameter of type
 * {@link NotificationContext} tells the id, type and sender. It runs once per
 * notification id and sender, in one local transaction with the entry that records it;
 * its own writes join that transaction, and an exception rolls both back (the sender
 * gets 500 and tries again). One handler per type; anything else fails start-up.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NotificationHandler {

	/**
	 * The type of notification this method applies, such as {@code PAYMENT_SUCCEEDED}.
	 */
	String value();

}
