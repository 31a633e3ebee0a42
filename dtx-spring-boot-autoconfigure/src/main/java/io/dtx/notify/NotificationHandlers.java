package io.dtx.notify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.dtx.core.DtxWiringException;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link NotificationHandler} methods of the beans as they are created and
 * checks their wiring: a type handled twice, a method whose parameters are not a payload
 * optionally followed by a {@link NotificationContext}, or a static method stops the
 * application, naming bean and method.
 */
public final class NotificationHandlers implements BeanPostProcessor, BeanFactoryAware {

	private final Map<String, Handler> byType = new ConcurrentHashMap<>();

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopUtils.getTargetClass(bean);
		if (!AnnotationUtils.isCandidateClass(type, NotificationHandler.class)) {
			return bean;
		}
		Map<Method, NotificationHandler> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<NotificationHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, NotificationHandler.class));
		methods.forEach((method, annotation) -> register(beanName, method, annotation.value()));
		return bean;
	}

	private void register(String beanName, Method method, String notificationType) {
		String where = "@NotificationHandler(\"" + notificationType + "\") " + beanName + "." + method.getName();
		Class<?>[] parameters = method.getParameterTypes();
		if (notificationType.isBlank()) {
			throw new DtxWiringException(beanName, method, where + ": the notification type is empty",
					"Name the type of notification the method handles, such as @NotificationHandler(\"PAYMENT_SUCCEEDED\").");
		}
		if (Modifier.isStatic(method.getModifiers())) {
			throw new DtxWiringException(beanName, method, where + " is static", "Make it an instance method of the bean.");
		}
		if (parameters.length < 1 || parameters.length > 2 || parameters[0] == NotificationContext.class
				|| (parameters.length == 2 && parameters[1] != NotificationContext.class)) {
			throw new DtxWiringException(beanName, method, where + " must take the payload, optionally followed by a "
					+ NotificationContext.class.getSimpleName() + ", but takes " + parameters.length
					+ " parameter(s): " + Arrays.toString(parameters),
					"Declare it as " + method.getName() + "(YourPayload payload) or " + method.getName()
							+ "(YourPayload payload, NotificationContext context).");
		}
		Handler handler = new Handler(beanName, method);
		Handler existing = this.byType.putIfAbsent(notificationType, handler);
		if (existing != null && !existing.equals(handler)) {
			throw new DtxWiringException(beanName, method, where + ": notifications of type '" + notificationType
					+ "' are already handled by " + existing.beanName() + "." + existing.method().getName(),
					"Keep one handler per notification type.");
		}
	}

	/**
	 * The handler of a notification type, {@code null} where there is none.
	 */
	@Nullable Handler find(String notificationType) {
		return this.byType.get(notificationType);
	}

	/**
	 * The types that have a handler.
	 */
	public Set<String> types() {
		return Set.copyOf(this.byType.keySet());
	}

	/**
	 * A handler method and the bean it is called on, looked up at its first call: the
	 * bean as the context holds it, proxies included.
	 */
	final class Handler {

		private final String beanName;

		private final Method method;

		private volatile @Nullable Object bean;

		private volatile @Nullable Method invocable;

		Handler(String beanName, Method method) {
			this.beanName = beanName;
			this.method = method;
		}

		String beanName() {
			return this.beanName;
		}

		Method method() {
			return this.method;
		}

		Type payloadType() {
			return this.method.getGenericParameterTypes()[0];
		}

		void invoke(Object payload, NotificationContext context) {
			Object target = this.bean;
			Method invocable = this.invocable;
			if (target == null || invocable == null) {
				BeanFactory beanFactory = NotificationHandlers.this.beanFactory;
				if (beanFactory == null) {
					throw new IllegalStateException("NotificationHandlers is used outside a bean factory");
				}
				target = beanFactory.getBean(this.beanName);
				invocable = AopUtils.selectInvocableMethod(this.method, target.getClass());
				ReflectionUtils.makeAccessible(invocable);
				this.invocable = invocable;
				this.bean = target;
			}
			Object[] arguments = (this.method.getParameterCount() == 2) ? new Object[] { payload, context }
					: new Object[] { payload };
			try {
				invocable.invoke(target, arguments);
			}
			catch (InvocationTargetException ex) {
				Throwable cause = ex.getTargetException();
				if (cause instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (cause instanceof Error error) {
					throw error;
				}
				throw new UndeclaredThrowableException(cause);
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Handler handler && handler.beanName.equals(this.beanName)
					&& handler.method.equals(this.method);
		}

		@Override
		public int hashCode() {
			return this.beanName.hashCode() * 31 + this.method.hashCode();
		}

	}

}
