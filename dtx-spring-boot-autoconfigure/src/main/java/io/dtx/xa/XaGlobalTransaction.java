package io.dtx.xa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method as a global XA transaction across services, or inside the one already in
 * progress. Every {@link XaBranch} method it runs here, and every one it reaches in other
 * services over HTTP, runs in a transaction that its own database prepares and holds,
 * locks and all, until this method's service decides: when the method returns, every
 * branch is committed; when it throws, or runs past its timeout, every branch is rolled
 * back and the caller gets the original exception.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface XaGlobalTransaction {

	/**
	 * The name of the transaction in logs and metrics; defaults to the method's
	 * {@code Class.method}.
	 */
	String name() default "";

	/**
	 * How long the branches may take before the transaction is rolled back, such as
	 * {@code "10s"} or {@code "PT1M"}; defaults to {@code dtx.xa.global.default-timeout}.
	 */
	String timeout() default "";

	/**
	 * How the branches are asked and told: two-phase commit as Seata's XA mode runs it.
	 */
	XaProtocol protocol() default XaProtocol.TWO_PHASE;

}
