package io.dtx.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The actions (each mode's annotated branch methods) of the application's beans, found once all beans
 * exist: by the key written into the fence, and by the intercepted method and the bean
 * it was called on.
 *
 * @param <A> the kind of action
 */
final class ActionIndex<A> {

	private final ConfigurableListableBeanFactory beanFactory;

	private final Map<String, A> byKey = new HashMap<>();

	private final Map<Method, List<Registered<A>>> byMethod = new HashMap<>();

	private final Map<String, Object> targets = new ConcurrentHashMap<>();

	ActionIndex(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Hands every bean's name and user class to {@code register}.
	 */
	void scan(BiConsumer<String, Class<?>> register) {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> type = this.beanFactory.getType(beanName, false);
			if (type != null) {
				register.accept(beanName, ClassUtils.getUserClass(type));
			}
		}
	}

	void add(String key, String beanName, Method method, A action) {
		this.byKey.put(key, action);
		this.byMethod.computeIfAbsent(method, (m) -> new ArrayList<>()).add(new Registered<>(beanName, action));
	}

	/**
	 * The action whose intercepted method is {@code method}, on the bean whose target is
	 * {@code target}.
	 */
	A forMethod(Method method, @Nullable Object target) {
		List<Registered<A>> actions = this.byMethod.get(method);
		if (actions == null) {
			throw new IllegalStateException("Method " + method + " was not registered at start-up");
		}
		if (actions.size() == 1) {
			return actions.get(0).action();
		}
		for (Registered<A> registered : actions) {
			if (target(registered.beanName()) == target) {
				return registered.action();
			}
		}
		throw new IllegalStateException("No bean of " + method.getDeclaringClass().getName() + " matches " + target);
	}

	@Nullable A forKey(String key) {
		return this.byKey.get(key);
	}

	Object bean(String beanName) {
		return this.beanFactory.getBean(beanName);
	}

	private Object target(String beanName) {
		return this.targets.computeIfAbsent(beanName, (name) -> {
			Object bean = this.beanFactory.getBean(name);
			Object target = AopProxyUtils.getSingletonTarget(bean);
			return (target != null) ? target : bean;
		});
	}

	private record Registered<A>(String beanName, A action) {

	}

}
