package io.dtx.autoconfigure;

import java.util.Arrays;
import javax.sql.DataSource;

import io.dtx.core.DtxWiringException;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;

/**
 * Finds the DataSource that holds dtx's own tables: the one named by
 * {@code dtx.data-source}, else the only or primary one.
 */
final class DtxDataSource {

	private DtxDataSource() {
	}

	static DataSource resolve(DtxProperties properties, ListableBeanFactory beanFactory) {
		String name = properties.dataSource();
		if (name != null) {
			try {
				return beanFactory.getBean(name, DataSource.class);
			}
			catch (NoSuchBeanDefinitionException ex) {
				// the message names every candidate, which says more than the cause
				throw new DtxWiringException("dtx.data-source names '" + name + "', but there is no DataSource bean "
						+ "of that name; the DataSource beans are "
						+ Arrays.toString(BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory, DataSource.class)),
						"Set dtx.data-source to the name of one of them.");
			}
		}
		try {
			return beanFactory.getBean(DataSource.class);
		}
		catch (NoUniqueBeanDefinitionException ex) {
			throw new DtxWiringException("dtx needs one DataSource for its own tables and there are several, none "
					+ "primary: " + Arrays.toString(BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory,
							DataSource.class)),
					"Set dtx.data-source to the name of one, or mark one primary "
							+ "(dtx.xa.datasources.<name>.primary=true).");
		}
	}

}
