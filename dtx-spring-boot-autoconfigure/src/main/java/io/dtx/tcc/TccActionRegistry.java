package io.dtx.tcc;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.dtx.core.BranchContext;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Every TCC action of the application, found and checked once all beans exist: a try
 * without its confirm or cancel, or with parameters that differ, stops the application
 * with a message that names the bean and the method.
 */
public class TccActionRegistry implements SmartInitializingSingleton {

	private final ConfigurableListableBeanFactory beanFactory;

	private final Map<String, TccAction> byKey = new HashMap<>();

	private final Map<Method, List<TccAction>> byTryMethod = new HashMap<>();

	private final Map<String, Object> targets = new ConcurrentHashMap<>();

	public TccActionRegistry(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> type = this.beanFactory.getType(beanName, false);
			if (type != null) {
				register(beanName, ClassUtils.getUserClass(type));
			}
		}
	}

	/**
	 * The action whose try is {@code method}, on the bean whose target is {@code target}.
	 */
	TccAction forTry(Method method, @Nullable Object target) {
		List<TccAction> actions = this.byTryMethod.get(method);
		if (actions == null) {
			throw new IllegalStateException("@TccTry method " + method + " was not registered at start-up");
		}
		if (actions.size() == 1) {
			return actions.get(0);
		}
		for (TccAction action : actions) {
			if (target(action.beanName()) == target) {
				return action;
			}
		}
		throw new IllegalStateException("No bean of " + method.getDeclaringClass().getName() + " matches " + target);
	}

	@Nullable TccAction forKey(String key) {
		return this.byKey.get(key);
	}

	Object bean(TccAction action) {
		return this.beanFactory.getBean(action.beanName());
	}

	private Object target(String beanName) {
		return this.targets.computeIfAbsent(beanName, (name) -> {
			Object bean = this.beanFactory.getBean(name);
			Object target = AopProxyUtils.getSingletonTarget(bean);
			return (target != null) ? target : bean;
		});
	}

	private void register(String beanName, Class<?> type) {
		Map<String, Method> tries = annotated(type, TccTry.class, TccTry::value);
		Map<String, Method> confirms = annotated(type, Confirm.class, Confirm::value);
		Map<String, Method> cancels = annotated(type, Cancel.class, Cancel::value);
		for (Map.Entry<String, Method> entry : tries.entrySet()) {
			String name = entry.getKey();
			Method tryMethod = entry.getValue();
			Method confirm = phaseTwo(beanName, type, tryMethod, name, "@Confirm", confirms.get(name));
			Method cancel = phaseTwo(beanName, type, tryMethod, name, "@Cancel", cancels.get(name));
			TccAction action = new TccAction(beanName + "#" + name, beanName, tryMethod, confirm, cancel);
			this.byKey.put(action.key(), action);
			this.byTryMethod.computeIfAbsent(tryMethod, (method) -> new ArrayList<>()).add(action);
		}
		orphans(beanName, type, "@Confirm", confirms.keySet(), tries.keySet());
		orphans(beanName, type, "@Cancel", cancels.keySet(), tries.keySet());
	}

	private static Method phaseTwo(String beanName, Class<?> type, Method tryMethod, String name, String annotation,
			@Nullable Method method) {
		String expected = "(" + parameters(tryMethod.getParameterTypes()) + ") or ("
				+ parameters(tryMethod.getParameterTypes()) + (tryMethod.getParameterCount() > 0 ? ", " : "")
				+ "BranchContext)";
		if (method == null) {
			throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName() + "): @TccTry(\"" + name
					+ "\") " + describe(tryMethod) + " has no " + annotation + "(\"" + name + "\") method; add one that "
					+ "takes " + expected);
		}
		Class<?>[] tryTypes = tryMethod.getParameterTypes();
		Class<?>[] types = method.getParameterTypes();
		boolean same = Arrays.equals(types, tryTypes);
		boolean withContext = types.length == tryTypes.length + 1
				&& Arrays.equals(Arrays.copyOf(types, tryTypes.length), tryTypes)
				&& types[tryTypes.length] == BranchContext.class;
		if (!same && !withContext) {
			throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName() + "): " + annotation
					+ "(\"" + name + "\") " + describe(method) + " must take the parameters of its try "
					+ describe(tryMethod) + ": " + expected);
		}
		return method;
	}

	private static void orphans(String beanName, Class<?> type, String annotation, Set<String> names,
			Set<String> tries) {
		for (String name : names) {
			if (!tries.contains(name)) {
				throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName() + "): "
						+ annotation + "(\"" + name + "\") has no @TccTry(\"" + name + "\") method on the same bean");
			}
		}
	}

	private static <A extends Annotation> Map<String, Method> annotated(Class<?> type, Class<A> annotationType,
			Function<A, String> name) {
		Map<Method, A> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						annotationType));
		Map<String, Method> byName = new HashMap<>();
		methods.forEach((method, annotation) -> {
			Method previous = byName.put(name.apply(annotation), method);
			if (previous != null) {
				throw new BeanInitializationException(type.getName() + ": " + describe(previous) + " and "
						+ describe(method) + " are both @" + annotationType.getSimpleName() + "(\""
						+ name.apply(annotation) + "\")");
			}
		});
		return byName;
	}

	private static String describe(Method method) {
		return "method " + method.getName() + "(" + parameters(method.getParameterTypes()) + ")";
	}

	private static String parameters(Class<?>[] types) {
		return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", "));
	}

}
