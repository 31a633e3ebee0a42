package io.dtx.aop;

import java.lang.annotation.Annotation;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.util.function.SingletonSupplier;

/**
 * Advisors for methods carrying an annotation, whose interceptor and its collaborators
 * are created at the first call, not while proxies are made.
 */
public final class LazyAdvisor {

	private LazyAdvisor() {
	}

	public static Advisor forAnnotation(Class<? extends Annotation> annotation, int order,
			Supplier<MethodInterceptor> interceptor) {
		SingletonSupplier<MethodInterceptor> lazy = SingletonSupplier.of(interceptor);
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, annotation, true), new MethodInterceptor() {

					@Override
					public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
						return lazy.obtain().invoke(invocation);
					}

				});
		advisor.setOrder(order);
		return advisor;
	}

}
