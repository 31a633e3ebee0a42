package io.dtx.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * A mode's actions (its annotated branch methods), found and checked once all beans
 * exist: a subclass reads each bean's class, refuses wrong wiring with a message naming
 * the bean and the method, and adds what it found.
 *
 * @param <A> the mode's kind of action
 */
public abstract class ActionRegistry<A extends ActionRegistry.Action> implements SmartInitializingSingleton {

	private final ActionIndex<A> index;

	private final ArgumentCodec codec;

	private final String kind;

	/**
	 * @param codec reads back what a fence row holds of an action's first phase
	 * @param kind what an action is called in messages, such as "step"
	 */
	protected ActionRegistry(ConfigurableListableBeanFactory beanFactory, ArgumentCodec codec, String kind) {
		this.index = new ActionIndex<>(beanFactory);
		this.codec = codec;
		this.kind = kind;
	}

	@Override
	public final void afterSingletonsInstantiated() {
		this.index.scan(this::register);
	}

	/**
	 * Reads one bean's class and {@link #add adds} its actions; throws
	 * {@code BeanInitializationException} on wrong wiring.
	 */
	protected abstract void register(String beanName, Class<?> type);

	/**
	 * Adds an action whose intercepted method is {@code method}.
	 */
	protected final void add(A action, Method method) {
		this.index.add(action.key(), action.beanName(), method, action);
	}

	/**
	 * The action an intercepted call runs.
	 */
	public A forInvocation(MethodInvocation invocation) {
		return this.index.forMethod(invocation.getMethod(), invocation.getThis());
	}

	/**
	 * The action whose key a fence row holds; throws where this application has none,
	 * which phase two cannot get past (recovery retries it, after a deployment that
	 * brings the action back).
	 */
	protected A forKey(String key) {
		A action = this.index.forKey(key);
		if (action == null) {
			throw new IllegalStateException("No " + this.kind + " " + key + " in this application");
		}
		return action;
	}

	/**
	 * The bean whose methods {@code action} calls.
	 */
	protected Object bean(A action) {
		return this.index.bean(action.beanName());
	}

	/**
	 * The arguments {@code action}'s first phase ran with, read back from a fence row.
	 */
	protected Object[] arguments(A action, @Nullable String json) {
		Method firstPhase = action.firstPhase();
		return this.codec.decode(json, firstPhase, firstPhase.getParameterCount());
	}

	/**
	 * A value of {@code type} read back from a fence row, such as what a first phase
	 * returned.
	 */
	protected @Nullable Object value(@Nullable String json, Type type) {
		return this.codec.decodeValue(json, type);
	}

	/**
	 * What every mode's action has.
	 */
	public interface Action {

		/**
		 * {@code bean#name}, as written into the fence.
		 */
		String key();

		/**
		 * The bean that declares the action's methods.
		 */
		String beanName();

		/**
		 * The intercepted method, whose arguments the fence row holds.
		 */
		Method firstPhase();

	}

}
