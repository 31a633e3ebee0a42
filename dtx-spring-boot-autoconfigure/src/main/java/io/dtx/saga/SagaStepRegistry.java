package io.dtx.saga;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dtx.aop.ActionRegistry;
import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.PhaseTwo;
import io.dtx.core.BranchRefusedException;
import io.dtx.core.DtxWiringException;
import io.dtx.fence.BranchFence;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import static io.dtx.aop.AnnotatedMethods.describe;
import static io.dtx.aop.AnnotatedMethods.parameters;

/**
 * Every saga step of the application, found and checked once all beans exist: a step
 * whose compensation is missing or takes other parameters stops the application with a
 * message that names the bean and the method. Each step's retries are resolved here
 * too, so that a call looks nothing up.
 */
public class SagaStepRegistry extends ActionRegistry<SagaStepAction> {

	private final StepRetries defaults;

	public SagaStepRegistry(ConfigurableListableBeanFactory beanFactory, ArgumentCodec codec, StepRetries defaults) {
		super(beanFactory, codec, "saga step");
		this.defaults = defaults;
	}

	/**
	 * Compensates a step; a confirmed step's fence row is all there is to it, the step
	 * having committed forward.
	 */
	void compensate(String xid, PhaseTwo.Branch step, boolean confirm) {
		if (!confirm) {
			SagaStepAction action = forKey(step.action());
			action.compensate(bean(action), step.arguments(), step.result());
		}
	}

	PhaseTwo.Branch decode(BranchFence.TriedBranch tried) {
		SagaStepAction action = forKey(tried.action());
		return new PhaseTwo.Branch(tried.branchId(), tried.action(), arguments(action, tried.arguments()),
				action.takesResult() ? value(tried.result(), action.resultType()) : null);
	}

	@Override
	protected void register(String beanName, Class<?> type) {
		Map<Method, SagaStep> steps = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<SagaStep>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, SagaStep.class));
		Map<String, Method> byName = new HashMap<>();
		steps.keySet().forEach((step) -> {
			Method previous = byName.put(step.getName(), step);
			if (previous != null) {
				throw new DtxWiringException(beanName, step, "Bean '" + beanName + "' (" + type.getName() + "): "
						+ describe(previous) + " and " + describe(step) + " are both @SagaStep methods named "
						+ step.getName(), "Give saga steps distinct names.");
			}
		});
		steps.forEach((step, annotation) -> {
			Method compensation = compensation(beanName, type, step, annotation.compensate());
			String key = beanName + "#" + step.getName();
			add(new SagaStepAction(key, beanName, step, compensation, retry(beanName, type, step, annotation)), step);
		});
	}

	private static Method compensation(String beanName, Class<?> type, Method step, String name) {
		Class<?>[] stepTypes = step.getParameterTypes();
		Class<?> result = step.getReturnType();
		String expected = "(" + parameters(stepTypes) + ")"
				+ ((result != void.class) ? " or (" + parameters(stepTypes) + (stepTypes.length > 0 ? ", " : "")
						+ result.getSimpleName() + ")" : "");
		List<Method> named = Arrays.stream(ReflectionUtils.getUniqueDeclaredMethods(type))
			.filter((method) -> method.getName().equals(name))
			.toList();
		String problem = "@SagaStep " + describe(step) + " names compensate = \"" + name + "\", but ";
		if (named.isEmpty()) {
			throw new DtxWiringException(beanName, step, "Bean '" + beanName + "' (" + type.getName() + "): "
					+ problem + "the bean has no such method", "Add " + name + expected + " to " + type.getSimpleName()
							+ ", or name an existing method in compensate.");
		}
		for (Method method : named) {
			Class<?>[] types = method.getParameterTypes();
			boolean same = Arrays.equals(types, stepTypes);
			boolean withResult = result != void.class && types.length == stepTypes.length + 1
					&& Arrays.equals(Arrays.copyOf(types, stepTypes.length), stepTypes)
					&& ClassUtils.resolvePrimitiveIfNecessary(types[stepTypes.length])
						.isAssignableFrom(ClassUtils.resolvePrimitiveIfNecessary(result));
			if (same || withResult) {
				return method;
			}
		}
		throw new DtxWiringException(beanName, step, "Bean '" + beanName + "' (" + type.getName() + "): " + problem
				+ describe(named.get(0)) + " does not take the step's parameters",
				"Make the compensation take the step's parameters: " + name + expected + ".");
	}

	private @Nullable RetryTemplate retry(String beanName, Class<?> type, Method step, SagaStep annotation) {
		int maxAttempts = (annotation.maxAttempts() > 0) ? annotation.maxAttempts() : this.defaults.maxAttempts();
		if (maxAttempts <= 1) {
			return null;
		}
		Duration backoff = annotation.backoff().isEmpty() ? this.defaults.backoff()
				: backoff(beanName, type, step, annotation.backoff());
		RetryPolicy.Builder policy = RetryPolicy.builder()
			.maxRetries(maxAttempts - 1)
			.delay(backoff)
			.multiplier(2)
			.maxDelay(this.defaults.maxBackoff().compareTo(backoff) > 0 ? this.defaults.maxBackoff() : backoff)
			.excludes(never(annotation));
		if (annotation.retryFor().length > 0) {
			policy.includes(Arrays.asList(annotation.retryFor()));
		}
		return new RetryTemplate(policy.build());
	}

	private static Duration backoff(String beanName, Class<?> type, Method step, String backoff) {
		try {
			return DurationStyle.detectAndParse(backoff);
		}
		catch (IllegalArgumentException ex) {
			throw new DtxWiringException(beanName, step, "Bean '" + beanName + "' (" + type.getName()
					+ "): @SagaStep " + describe(step) + " has backoff = \"" + backoff + "\", which is no duration",
					"Write the backoff as a duration: \"100ms\", \"2s\" or \"PT0.5S\".");
		}
	}

	// a refusal by the fence is final: the saga is already being compensated
	private static List<Class<? extends Throwable>> never(SagaStep annotation) {
		List<Class<? extends Throwable>> never = new java.util.ArrayList<>(Arrays.asList(annotation.noRetryFor()));
		never.add(BranchRefusedException.class);
		return never;
	}

	/**
	 * Attempts of a step that declares none of its own.
	 *
	 * @param maxAttempts how many times a step runs at most; 1 for no retry
	 * @param backoff delay before the second attempt, doubling per attempt
	 * @param maxBackoff longest delay between attempts
	 */
	public record StepRetries(int maxAttempts, Duration backoff, Duration maxBackoff) {

	}

}
