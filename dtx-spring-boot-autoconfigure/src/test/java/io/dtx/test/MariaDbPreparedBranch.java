package io.dtx.test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A prepared XA branch as MariaDB's {@code XA RECOVER} shows it: the global id and the
 * branch qualifier run together in {@code data}.
 *
 * @param formatId the XA format id
 * @param globalIdLength how many bytes of {@code data} are the global id
 * @param data the global id followed by the branch qualifier
 */
public record MariaDbPreparedBranch(int formatId, int globalIdLength, byte[] data) {

	/**
	 * The branches the server holds prepared; XA RECOVER lists those of the whole server,
	 * other tests' included, so callers filter by their transaction manager id, with
	 * which Atomikos starts every global id.
	 */
	public static List<MariaDbPreparedBranch> list() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new JdbcTemplate(new DriverManagerDataSource(server.url(""), server.username(), server.password()))
			.query("xa recover", (row, index) -> new MariaDbPreparedBranch(row.getInt("formatID"),
					row.getInt("gtrid_length"), row.getBytes("data")));
	}

	/**
	 * The branches prepared by the transaction manager whose ids start with the prefix.
	 */
	public static List<MariaDbPreparedBranch> of(String transactionManagerIdPrefix) {
		return list().stream().filter((branch) -> branch.globalId().startsWith(transactionManagerIdPrefix)).toList();
	}

	public String globalId() {
		return new String(this.data, 0, this.globalIdLength, StandardCharsets.UTF_8);
	}

	public String rollbackStatement() {
		HexFormat hex = HexFormat.of();
		return "xa rollback X'" + hex.formatHex(this.data, 0, this.globalIdLength) + "',X'"
				+ hex.formatHex(this.data, this.globalIdLength, this.data.length) + "'," + this.formatId;
	}

}
