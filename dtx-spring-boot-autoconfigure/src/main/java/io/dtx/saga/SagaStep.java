package io.dtx.saga;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A forward step of the current {@link Saga}: its change commits in a local transaction
 * of its own, together with a fence row that holds its arguments and result. When the
 * saga fails, the method named by {@link #compensate()} undoes it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SagaStep {

	/**
	 * The compensation: a method of the same bean that takes the step's parameters,
	 * optionally followed by one of the step's return type, which receives what the step
	 * returned.
	 */
	String compensate();

	/**
	 * How many times the step runs at most before its failure reaches the saga; each
	 * attempt is a local transaction of its own. 0 for {@code dtx.saga.step.max-attempts}.
	 */
	int maxAttempts() default 0;

	/**
	 * Delay before the second attempt, doubling per attempt, such as {@code "100ms"};
	 * empty for {@code dtx.saga.step.backoff}.
	 */
	String backoff() default "";

	/**
	 * The exceptions worth another attempt (their subclasses too); empty for any
	 * exception not in {@link #noRetryFor()}.
	 */
	Class<? extends Throwable>[] retryFor() default {};

	/**
	 * The exceptions never retried, such as a business refusal. A step refused by the
	 * fence is never retried either.
	 */
	Class<? extends Throwable>[] noRetryFor() default {};

}
