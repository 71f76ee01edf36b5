package io.github.otelexport.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, plain SDK and starter side by side in the same run, and
 * prints the ratios the project's goals are stated in as a Markdown table.
 * <p>
 * {@code java -jar benchmarks/target/benchmarks.jar [report.md]}; any other arguments are
 * handed to JMH's own command line instead ({@code -h} lists them).
 *
 * @author otel-export authors
 */
public final class BenchmarkReport {

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
			org.openjdk.jmh.Main.main(args);
			return;
		}
		Collection<RunResult> results = new Runner(new OptionsBuilder().include("io.github.otelexport.benchmarks.*")
			.forks(1)
			.warmupIterations(3)
			.warmupTime(TimeValue.seconds(2))
			.measurementIterations(5)
			.measurementTime(TimeValue.seconds(2))
			.addProfiler(GCProfiler.class)
			.build()).run();
		String report = report(results);
		System.out.println(report);
		if (args.length == 1) {
			Files.writeString(Path.of(args[0]), report);
		}
	}

	static String report(Collection<RunResult> results) {
		List<String> lines = new ArrayList<>();
		lines.add("| measure | plain SDK | starter | ratio | goal |");
		lines.add("|---|---|---|---|---|");
		RunResult plainHealthy = find(results, "SpanEndBenchmark", Pipelines.PLAIN, "backend", "healthy");
		RunResult starterHealthy = find(results, "SpanEndBenchmark", Pipelines.STARTER, "backend", "healthy");
		RunResult plainOutage = find(results, "SpanEndBenchmark", Pipelines.PLAIN, "backend", "outage");
		RunResult starterOutage = find(results, "SpanEndBenchmark", Pipelines.STARTER, "backend", "outage");
		lines.add(row("1. span.end() on the app thread, healthy (ns/span)", plainHealthy, starterHealthy,
				"starter / plain <= 1.03"));
		for (String protocol : List.of(Pipelines.GRPC, Pipelines.HTTP)) {
			lines.add(row("2. export throughput, " + protocol + " (spans/s)",
					find(results, "ExportThroughputBenchmark", Pipelines.PLAIN, "protocol", protocol),
					find(results, "ExportThroughputBenchmark", Pipelines.STARTER, "protocol", protocol),
					"starter / plain >= 0.97"));
		}
		lines.add(row("3. span.end() during an outage (ns/span)", plainOutage, starterOutage, "-"));
		lines.add(String.format(Locale.ROOT, "| 3. starter: outage / healthy span.end() | | %s / %s | %.3f | <= 1.10 |",
				score(starterOutage), score(starterHealthy),
				starterOutage.getPrimaryResult().getScore() / starterHealthy.getPrimaryResult().getScore()));
		lines.add(String.format(Locale.ROOT, "| 3. allocation per span, outage (bytes) | %s | %s | | |",
				allocation(plainOutage), allocation(starterOutage)));
		lines.add(String.format(Locale.ROOT, "| 3. allocation per span, healthy (bytes) | %s | %s | | |",
				allocation(plainHealthy), allocation(starterHealthy)));
		RunResult ceiling = results.stream()
			.filter((result) -> result.getParams().getBenchmark().endsWith("SerializationBenchmark.serialize"))
			.findFirst()
			.orElseThrow();
		lines.add(String.format(Locale.ROOT, "| 4. ceiling: OTLP serialisation only (spans/s) | %s | | | |",
				score(ceiling)));
		return String.join(System.lineSeparator(), lines);
	}

	private static RunResult find(Collection<RunResult> results, String benchmark, String pipeline, String param,
			String value) {
		return results.stream()
			.filter((result) -> result.getParams().getBenchmark().contains("." + benchmark + "."))
			.filter((result) -> pipeline.equals(result.getParams().getParam("pipeline")))
			.filter((result) -> value.equals(result.getParams().getParam(param)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No result for " + benchmark + " " + pipeline + " " + value));
	}

	private static String row(String measure, RunResult plain, RunResult starter, String goal) {
		double ratio = starter.getPrimaryResult().getScore() / plain.getPrimaryResult().getScore();
		return String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s |", measure, score(plain), score(starter), ratio,
				goal);
	}

	private static String score(RunResult result) {
		Result<?> primary = result.getPrimaryResult();
		return String.format(Locale.ROOT, "%.1f ± %.1f", primary.getScore(), primary.getScoreError());
	}

	private static String allocation(RunResult result) {
		return result.getSecondaryResults()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().endsWith("gc.alloc.rate.norm"))
			.map((entry) -> String.format(Locale.ROOT, "%.1f", entry.getValue().getScore()))
			.findFirst()
			.orElse("n/a");
	}

}
