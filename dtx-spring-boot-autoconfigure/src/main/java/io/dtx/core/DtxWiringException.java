package io.dtx.core;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanInitializationException;

/**
 * dtx wired wrongly: an annotated method without its counterpart or with the wrong
 * parameters, a setting that cannot work. Thrown at start-up, before the first
 * transaction would have failed; Spring Boot's "APPLICATION FAILED TO START" report
 * shows its {@linkplain #getDescription() description} and {@linkplain #getAction()
 * action}.
 * <p>
 * A {@link BeanInitializationException}, as what it replaces was.
 */
public class DtxWiringException extends BeanInitializationException {

	private final @Nullable String beanName;

	private final @Nullable Method method;

	private final String description;

	private final String action;

	/**
	 * A wrong setting, or wiring that no one method is at fault for.
	 * @param description what is wrong, naming the setting or bean
	 * @param action what to change
	 */
	public DtxWiringException(String description, String action) {
		this(null, null, description, action);
	}

	/**
	 * A wrong method of a bean.
	 * @param beanName the bean's name
	 * @param method the method at fault, {@code null} where it is the bean as a whole
	 * @param description what is wrong, naming the bean and the method
	 * @param action what to change
	 */
	public DtxWiringException(@Nullable String beanName, @Nullable Method method, String description, String action) {
		super(description + ". " + action);
		this.beanName = beanName;
		this.method = method;
		this.description = description;
		this.action = action;
	}

	/**
	 * The bean at fault, {@code null} for a setting.
	 */
	public @Nullable String getBeanName() {
		return this.beanName;
	}

	/**
	 * The method at fault, where there is one.
	 */
	public @Nullable Method getMethod() {
		return this.method;
	}

	/**
	 * What is wrong.
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * What to change.
	 */
	public String getAction() {
		return this.action;
	}

}
