package io.dtx.saga;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method as a saga, or inside the one already in progress. Each
 * {@link SagaStep} called inside it commits on its own; when the method throws, or runs
 * past its timeout, the steps that committed are compensated in reverse order and the
 * caller gets the original exception.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Saga {

	/**
	 * The name of the saga in logs and metrics; defaults to the method's
	 * {@code Class.method}.
	 */
	String name() default "";

	/**
	 * How long the steps may take before the saga is compensated, such as {@code "60s"}
	 * or {@code "PT1M"}; defaults to {@code dtx.saga.default-timeout}.
	 */
	String timeout() default "";

}
