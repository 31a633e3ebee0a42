package io.dtx.tcc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Phase one of a TCC branch: reserves resources, in one local transaction with the branch's
 * fence row. It must run inside a {@link TccTransaction}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TccTry {

	/**
	 * The name of the action, shared by its try, confirm and cancel on one bean.
	 */
	String value();

}
