package io.dtx.tcc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method as a global TCC transaction, or inside the one already in progress. When
 * it returns, every branch tried inside it is confirmed; when it throws, or runs past its
 * timeout, every branch is cancelled and the caller gets the original exception.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TccTransaction {

	/**
	 * The name of the transaction in logs and metrics; defaults to the method's
	 * {@code Class.method}.
	 */
	String name() default "";

	/**
	 * How long the branches may take before the transaction is cancelled, such as
	 * {@code "30s"} or {@code "PT1M"}; defaults to {@code dtx.tcc.default-timeout}.
	 */
	String timeout() default "";

}
