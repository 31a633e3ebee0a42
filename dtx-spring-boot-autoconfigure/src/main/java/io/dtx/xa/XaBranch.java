package io.dtx.xa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method's SQL as a branch of the current {@link XaGlobalTransaction}: in a
 * transaction of this service's database (dtx's DataSource) begun under the branch's
 * global id, which the database prepares when the method returns and holds, row locks
 * included, until the initiator commits or rolls it back. The method runs in the
 * initiator's service inside its {@code @XaGlobalTransaction}, or in another service
 * handling a request that carries the transaction's context. An exception rolls the
 * branch back and reaches the caller unchanged; {@code @Transactional} methods it calls
 * join its transaction. Called outside any global XA transaction, it throws.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface XaBranch {

}
