package io.dtx.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;

/**
 * Matches where Micrometer is on the class path and the application has a
 * {@code MeterRegistry}: where the meters of the coordinator and of the outbox have
 * somewhere to go. Classes are named, not referenced, so that reading the annotation
 * needs no Micrometer.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnClass(name = ConditionalOnMeterRegistry.METER_REGISTRY)
@ConditionalOnBean(type = ConditionalOnMeterRegistry.METER_REGISTRY)
@interface ConditionalOnMeterRegistry {

	String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

}
