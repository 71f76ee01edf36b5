package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's property reference in step with the generated configuration
 * metadata: every {@code otel.export.*} property has a row whose default and description
 * are the metadata's, and no row names a property that does not exist.
 *
 * @author otel-export authors
 */
class ReadmePropertyReferenceTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(otel\\.export\\.[a-z0-9.-]+)` \\| ([^|]*) \\| (.*) \\|$",
			Pattern.MULTILINE);

	@Test
	void readmeDocumentsEveryPropertyAsTheMetadataDoes() throws IOException {
		Map<String, Row> readme = readmeRows();
		List<Map<String, Object>> metadata = metadataProperties();
		assertThat(metadata).extracting((property) -> property.get("name"))
			.contains("otel.export.endpoint", "otel.export.fallback.endpoint", "otel.export.retry.max-elapsed-time");
		assertThat(readme.keySet()).containsExactlyInAnyOrderElementsOf(
				metadata.stream().map((property) -> (String) property.get("name")).toList());
		assertThat(metadata).allSatisfy((property) -> {
			Row row = readme.get((String) property.get("name"));
			assertThat(row.description()).as("description of %s", property.get("name"))
				.isEqualTo(property.get("description"));
			assertThat(row.defaultValue()).as("default of %s", property.get("name"))
				.isEqualTo(shown(property.get("defaultValue")));
		});
	}

	private static String shown(Object defaultValue) {
		if (defaultValue == null) {
			return "";
		}
		if (defaultValue instanceof Number number) {
			return "`" + new BigDecimal(number.toString()).stripTrailingZeros().toPlainString() + "`";
		}
		return "`" + defaultValue + "`";
	}

	private Map<String, Row> readmeRows() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		int start = readme.indexOf("## Property reference");
		assertThat(start).isNotNegative();
		int end = readme.indexOf("\n## ", start);
		// only this section: other tables (the metrics) name otel.export.* meters
		String section = readme.substring(start, (end >= 0) ? end : readme.length());
		Map<String, Row> rows = new LinkedHashMap<>();
		Matcher matcher = ROW.matcher(section);
		while (matcher.find()) {
			assertThat(rows.put(matcher.group(1), new Row(matcher.group(2).trim(), matcher.group(3).trim())))
				.as("second row for %s", matcher.group(1))
				.isNull();
		}
		return rows;
	}

	private List<Map<String, Object>> metadataProperties() throws IOException {
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(metadata).isNotNull();
			List<Map<String, Object>> properties = JsonPath.parse(metadata).read("$.properties[*]");
			return properties.stream()
				.filter((property) -> ((String) property.get("name")).startsWith("otel.export."))
				.toList();
		}
	}

	private record Row(String defaultValue, String description) {

	}

}
