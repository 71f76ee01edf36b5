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
 * Keeps the property reference of docs/configuration.md in step with the generated
 * configuration metadata: every {@code otel.export.*} property has a row whose default
 * and description are the metadata's, and no row names a property that does not exist.
 * The README links to that page and repeats no row of it.
 *
 * @author otel-export authors
 */
class PropertyReferenceTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(otel\\.export\\.[a-z0-9.-]+)` \\| ([^|]*) \\| (.*) \\|$",
			Pattern.MULTILINE);

	@Test
	void referenceDocumentsEveryPropertyAsTheMetadataDoes() throws IOException {
		Map<String, Row> reference = referenceRows();
		List<Map<String, Object>> metadata = metadataProperties();
		assertThat(metadata).extracting((property) -> property.get("name"))
			.contains("otel.export.endpoint", "otel.export.fallback.endpoint", "otel.export.retry.max-elapsed-time");
		assertThat(reference.keySet()).containsExactlyInAnyOrderElementsOf(names(metadata));
		assertThat(metadata).allSatisfy((property) -> {
			Row row = reference.get((String) property.get("name"));
			assertThat(row.description()).as("description of %s", property.get("name"))
				.isEqualTo(property.get("description"));
			assertThat(row.defaultValue()).as("default of %s", property.get("name"))
				.isEqualTo(shown(property.get("defaultValue")));
		});
	}

	@Test
	void readmeLinksToTheReferenceInsteadOfRepeatingIt() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		assertThat(readme).contains("](docs/configuration.md)");
		// the metrics table has rows of the same shape, for meters, not properties
		List<String> rowNames = ROW.matcher(readme).results().map((row) -> row.group(1)).toList();
		assertThat(rowNames).as("property rows in README.md, whose reference is docs/configuration.md")
			.doesNotContainAnyElementsOf(names(metadataProperties()));
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

	private Map<String, Row> referenceRows() throws IOException {
		String page = Files.readString(Path.of("..", "docs", "configuration.md"));
		int start = page.indexOf("\n## Properties\n");
		assertThat(start).isNotNegative();
		int end = page.indexOf("\n## ", start + 1);
		// only this section, so that no other table on the page can stand in for a row
		String section = page.substring(start, (end >= 0) ? end : page.length());
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

	private static List<String> names(List<Map<String, Object>> properties) {
		return properties.stream().map((property) -> (String) property.get("name")).toList();
	}

	private record Row(String defaultValue, String description) {

	}

}
