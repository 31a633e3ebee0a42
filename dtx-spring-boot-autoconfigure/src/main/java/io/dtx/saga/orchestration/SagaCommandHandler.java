package io.dtx.saga.orchestration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A participant's handler of one type of saga command: a method of a bean with one
 * parameter, the command, whose class's simple name is the command's type. It runs in one
 * local transaction with its inbox entry (a command delivered again is applied once) and
 * its reply, sent through the outbox to the channel the command names: the returned value
 * is the success reply, an exception the failure reply (and its transaction rolls back).
 * Any number of orchestrators can use one participant.
 *
 * <pre class="code">
 * &#64;SagaCommandHandler("payment")
 * Charged charge(Charge command) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SagaCommandHandler {

	/**
	 * The channel (Kafka topic) the participant takes these commands from; {@code ${...}}
	 * placeholders are resolved.
	 */
	String value();

}
