package io.dtx.xa.crash;

import org.mariadb.jdbc.MariaDbDataSource;

/**
 * MariaDB's XA DataSource, stopping at the crash point.
 */
public class CrashingMariaDbXaDataSource extends CrashingXaDataSource {

	public CrashingMariaDbXaDataSource() {
		super(new MariaDbDataSource());
	}

}
