package io.dtx.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.dtx.core.DtxWiringException;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the methods of a bean that carry one of dtx's annotations, describes them in
 * start-up errors, and calls them back in phase two.
 */
public final class AnnotatedMethods {

	private AnnotatedMethods() {
	}

	/**
	 * The methods of {@code type} carrying the annotation, by the name it gives them;
	 * two methods with the same name stop start-up.
	 */
	public static <A extends Annotation> Map<String, Method> byName(Class<?> type, Class<A> annotationType,
			Function<A, String> name) {
		Map<Method, A> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						annotationType));
		Map<String, Method> byName = new HashMap<>();
		methods.forEach((method, annotation) -> {
			Method previous = byName.put(name.apply(annotation), method);
			if (previous != null) {
				throw new DtxWiringException(null, method, type.getName() + ": " + describe(previous) + " and "
						+ describe(method) + " are both @" + annotationType.getSimpleName() + "(\""
						+ name.apply(annotation) + "\")", "Give each of them a name of its own.");
			}
		});
		return byName;
	}

	public static String describe(Method method) {
		return "method " + method.getName() + "(" + parameters(method.getParameterTypes()) + ")";
	}

	public static String parameters(Class<?>[] types) {
		return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", "));
	}

	/**
	 * Calls the method, handing an exception it throws to the caller unchanged. A private
	 * or final method is called on the object behind the bean's proxies: a proxy cannot
	 * override it, so called on the proxy it would see the proxy's own, empty, fields.
	 */
	public static @Nullable Object invoke(Object bean, Method method, @Nullable Object[] arguments) {
		Object receiver = bean;
		if (Modifier.isPrivate(method.getModifiers()) || Modifier.isFinal(method.getModifiers())) {
			Object target = AopProxyUtils.getSingletonTarget(receiver);
			while (target != null) {
				receiver = target;
				target = AopProxyUtils.getSingletonTarget(receiver);
			}
		}
		try {
			ReflectionUtils.makeAccessible(method);
			return method.invoke(receiver, arguments);
		}
		catch (InvocationTargetException ex) {
			ReflectionUtils.rethrowRuntimeException(ex.getTargetException());
			return null;
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call " + method, ex);
		}
	}

}
