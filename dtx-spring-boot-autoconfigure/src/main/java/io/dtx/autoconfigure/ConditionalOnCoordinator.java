package io.dtx.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.dtx.coordinator.GlobalTransactionLog;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Matches where a mode can run: dtx is on, the coordinator exists (its log) and so does
 * the transaction manager its branches run in. Every mode's auto-configuration carries
 * it, after {@link DtxCoreAutoConfiguration} and Spring Boot's transaction
 * auto-configuration.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnDtxEnabled
@ConditionalOnBean({ GlobalTransactionLog.class, PlatformTransactionManager.class })
public @interface ConditionalOnCoordinator {

}
