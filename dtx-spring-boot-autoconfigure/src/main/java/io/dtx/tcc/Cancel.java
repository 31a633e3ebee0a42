package io.dtx.tcc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Phase two, rollback: releases the reservation of the {@link TccTry} of the same name. It
 * takes the try's parameters, optionally followed by an {@link io.dtx.core.BranchContext},
 * and runs at least once; the fence makes it run exactly once, and not at all when the try
 * never ran.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Cancel {

	/**
	 * The name of the action, shared by its try, confirm and cancel on one bean.
	 */
	String value();

}
