package io.dtx.aop;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The actions of the application's beans, found by fence key and by intercepted method
 * and bean.
 */
class ActionIndexTests {

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final ActionIndex<String> index = new ActionIndex<>(this.beanFactory);

	private final Method reserve = ReflectionUtils.findMethod(Stock.class, "reserve");

	private final Stock east = new Stock();

	private final Stock west = new Stock();

	@BeforeEach
	void beans() {
		ProxyFactory proxy = new ProxyFactory(this.west);
		proxy.setProxyTargetClass(true);
		Stock westProxy = (Stock) proxy.getProxy();
		this.beanFactory.registerBeanDefinition("eastStock", new RootBeanDefinition(Stock.class, () -> this.east));
		this.beanFactory.registerBeanDefinition("westStock", new RootBeanDefinition(Stock.class, () -> westProxy));
	}

	@Test
	void scanHandsEveryBeanWithItsUserClass() {
		this.beanFactory.getBean("westStock");
		Map<String, Class<?>> scanned = new LinkedHashMap<>();
		this.index.scan(scanned::put);
		// the proxy's class is the CGLIB subclass: the application's class is handed on
		assertThat(this.beanFactory.getType("westStock")).isNotEqualTo(Stock.class);
		assertThat(scanned).containsEntry("eastStock", Stock.class).containsEntry("westStock", Stock.class);
	}

	@Test
	void actionIsFoundByItsKey() {
		this.index.add("eastStock#reserve", "eastStock", this.reserve, "east reserve");
		assertThat(this.index.forKey("eastStock#reserve")).isEqualTo("east reserve");
		assertThat(this.index.forKey("unknown#reserve")).isNull();
	}

	@Test
	void methodOfOneBeanNeedsNoTarget() {
		this.index.add("eastStock#reserve", "eastStock", this.reserve, "east reserve");
		assertThat(this.index.forMethod(this.reserve, null)).isEqualTo("east reserve");
	}

	@Test
	void methodOfSeveralBeansIsTheActionOfTheBeanCalled() {
		this.index.add("eastStock#reserve", "eastStock", this.reserve, "east reserve");
		this.index.add("westStock#reserve", "westStock", this.reserve, "west reserve");
		assertThat(this.index.forMethod(this.reserve, this.east)).isEqualTo("east reserve");
		assertThat(this.index.forMethod(this.reserve, this.west)).as("the target behind the proxy")
			.isEqualTo("west reserve");
	}

	@Test
	void unregisteredMethodFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> this.index.forMethod(this.reserve, this.east))
			.withMessageContaining("reserve")
			.withMessageContaining("was not registered at start-up");
	}

	@Test
	void targetOfNoRegisteredBeanFails() {
		this.index.add("eastStock#reserve", "eastStock", this.reserve, "east reserve");
		this.index.add("westStock#reserve", "westStock", this.reserve, "west reserve");
		assertThatIllegalStateException().isThrownBy(() -> this.index.forMethod(this.reserve, new Stock()))
			.withMessageStartingWith("No bean of " + Stock.class.getName() + " matches");
	}

	@Test
	void beanIsLookedUpByName() {
		assertThat(this.index.bean("eastStock")).isSameAs(this.east);
	}

	static class Stock {

		public void reserve() {
		}

	}

}
