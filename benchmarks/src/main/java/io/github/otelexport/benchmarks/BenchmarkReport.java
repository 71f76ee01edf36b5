package io.github.otelexport.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark, plain SDK and starter side by side in the same run, and prints
 * the ratios the project's goals are stated in as a Markdown table.
 * <p>
 * {@code java -jar benchmarks/target/benchmarks.jar [report.md]}; any other arguments are
 * handed to JMH's own command line instead ({@code -h} lists them). Every benchmark runs
 * 3 x 2 s of warm-up and 5 x 2 s of measurement per fork; the {@code span.end()}
 * benchmarks (goals 1 and 3) run in {@value #SPAN_END_FORKS} forks, since a 3% goal needs
 * tighter intervals than one fork gives, the others in one. With
 * {@code -Dotelexport.benchmarks.smoke=true} it runs one fork and one 1 s iteration of
 * each instead, to check that everything works, not to measure.
 * <p>
 * The outage scenarios ({@link OutageLossBenchmark}, {@link DrainBenchmark}) count spans
 * instead of timing operations: each runs once per fork, with no warm-up, and has a table
 * of its own. A smoke run shortens them (a 3 s outage at 1,000 spans/s, a backlog of 5
 * s); {@code -Dotelexport.benchmarks.outage-only=true} runs them alone.
 *
 * @author otel-export authors
 */
public final class BenchmarkReport {

	static final int SPAN_END_FORKS = 3;

	private static final boolean SMOKE = Boolean.getBoolean("otelexport.benchmarks.smoke");

	private static final boolean OUTAGE_ONLY = Boolean.getBoolean("otelexport.benchmarks.outage-only");

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
			org.openjdk.jmh.Main.main(args);
			return;
		}
		Collection<RunResult> results = new ArrayList<>();
		if (!OUTAGE_ONLY) {
			results.addAll(run("io\\.github\\.otelexport\\.benchmarks\\.SpanEnd.*", SPAN_END_FORKS));
			results.addAll(run(
					"io\\.github\\.otelexport\\.benchmarks\\.(ExportThroughput|LogExportThroughput|Serialization)Benchmark.*",
					1));
		}
		results.addAll(runOnce("io\\.github\\.otelexport\\.benchmarks\\.OutageLossBenchmark.*",
				Map.of("rate", "1000", "healthySeconds", "1", "outageSeconds", "3", "afterSeconds", "2")));
		results
			.addAll(runOnce("io\\.github\\.otelexport\\.benchmarks\\.DrainBenchmark.*", Map.of("outageSeconds", "5")));
		String report = report(results);
		System.out.println(report);
		if (args.length == 1) {
			Files.writeString(Path.of(args[0]), report);
		}
	}

	private static Collection<RunResult> run(String include, int forks) throws RunnerException {
		OptionsBuilder options = new OptionsBuilder();
		options.include(include).addProfiler(GCProfiler.class);
		if (SMOKE) {
			options.forks(1)
				.warmupIterations(1)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(1)
				.measurementTime(TimeValue.seconds(1));
		}
		else {
			options.forks(forks)
				.warmupIterations(3)
				.warmupTime(TimeValue.seconds(2))
				.measurementIterations(5)
				.measurementTime(TimeValue.seconds(2));
		}
		return new Runner(options.build()).run();
	}

	/**
	 * Run a scenario once per fork: its results are counts, not timings, so it has no
	 * warm-up and one iteration.
	 * @param include the benchmarks to run
	 * @param smokeParams the parameters that make it short in a smoke run
	 */
	private static Collection<RunResult> runOnce(String include, Map<String, String> smokeParams)
			throws RunnerException {
		OptionsBuilder options = new OptionsBuilder();
		options.include(include).forks(1).warmupIterations(0).measurementIterations(1);
		if (SMOKE) {
			smokeParams.forEach(options::param);
		}
		return new Runner(options.build()).run();
	}

	static String report(Collection<RunResult> results) {
		List<String> tables = new ArrayList<>();
		if (has(results, "SpanEndBenchmark")) {
			tables.add(goals(results));
		}
		if (has(results, "OutageLossBenchmark")) {
			tables.add(outageLoss(results));
		}
		if (has(results, "DrainBenchmark")) {
			tables.add(drain(results));
		}
		return String.join(System.lineSeparator() + System.lineSeparator(), tables);
	}

	private static String goals(Collection<RunResult> results) {
		List<String> lines = new ArrayList<>();
		lines.add("| measure | plain SDK | starter | ratio | goal |");
		lines.add("|---|---|---|---|---|");
		RunResult plainHealthy = find(results, "SpanEndBenchmark", Pipelines.PLAIN, Map.of());
		RunResult starterHealthy = find(results, "SpanEndBenchmark", Pipelines.STARTER, Map.of());
		RunResult plainOutage = find(results, "SpanEndOutageBenchmark", Pipelines.PLAIN, Map.of());
		RunResult starterOutage = find(results, "SpanEndOutageBenchmark", Pipelines.STARTER, Map.of());
		lines.add(row("1. span.end() on the app thread, healthy (ns/span)", plainHealthy, starterHealthy,
				"starter / plain <= 1.03"));
		for (String protocol : List.of(Pipelines.GRPC, Pipelines.HTTP)) {
			lines.add(row("2. export throughput, " + protocol + " (spans/s)",
					find(results, "ExportThroughputBenchmark", Pipelines.PLAIN,
							Map.of("protocol", protocol, "backendDelayMillis", "0")),
					find(results, "ExportThroughputBenchmark", Pipelines.STARTER,
							Map.of("protocol", protocol, "backendDelayMillis", "0")),
					Pipelines.GRPC.equals(protocol) ? "starter / plain >= 10" : "starter / plain >= 13.9"));
		}
		lines.add(row("2. export throughput, http/protobuf, both on the JDK HttpClient (spans/s)",
				find(results, "ExportThroughputBenchmark", Pipelines.PLAIN_JDK_SENDER,
						Map.of("protocol", Pipelines.HTTP, "backendDelayMillis", "0")),
				find(results, "ExportThroughputBenchmark", Pipelines.STARTER,
						Map.of("protocol", Pipelines.HTTP, "backendDelayMillis", "0")),
				"starter / plain >= 0.97 (the starter's own overhead)"));
		for (String protocol : List.of(Pipelines.GRPC, Pipelines.HTTP)) {
			lines.add(row("2. export throughput, " + protocol + ", backend answers after 20 ms (spans/s)",
					find(results, "ExportThroughputBenchmark", Pipelines.PLAIN,
							Map.of("protocol", protocol, "backendDelayMillis", "20")),
					find(results, "ExportThroughputBenchmark", Pipelines.STARTER,
							Map.of("protocol", protocol, "backendDelayMillis", "20")),
					"starter / plain >= 8"));
		}
		lines.add(row("3. span.end() during an outage (ns/span)", plainOutage, starterOutage, "-"));
		lines.add(String.format(Locale.ROOT, "| 3. starter: outage / healthy span.end() | | %s / %s | %.3f | <= 1.10 |",
				score(starterOutage), score(starterHealthy),
				starterOutage.getPrimaryResult().getScore() / starterHealthy.getPrimaryResult().getScore()));
		lines.add(String.format(Locale.ROOT, "| 3. allocation per span, outage, all threads (bytes) | %s | %s | | |",
				allocation(plainOutage), allocation(starterOutage)));
		lines.add(String.format(Locale.ROOT, "| 1. allocation per span, healthy, all threads (bytes) | %s | %s | | |",
				allocation(plainHealthy), allocation(starterHealthy)));
		RunResult ceiling = results.stream()
			.filter((result) -> result.getParams().getBenchmark().endsWith("SerializationBenchmark.serialize"))
			.findFirst()
			.orElseThrow();
		lines.add(String.format(Locale.ROOT, "| 4. ceiling: OTLP serialisation only (spans/s) | %s | | | |",
				score(ceiling)));
		for (String delay : List.of("0", "20")) {
			for (String protocol : List.of(Pipelines.GRPC, Pipelines.HTTP)) {
				String backend = "0".equals(delay) ? "" : ", backend answers after 20 ms";
				lines.add(row(
						"5. export throughput with the disk buffer, " + protocol + backend
								+ ": starter memory only vs with disk (spans/s)",
						find(results, "ExportThroughputBenchmark", Pipelines.STARTER,
								Map.of("protocol", protocol, "backendDelayMillis", delay)),
						find(results, "ExportThroughputBenchmark", Pipelines.STARTER_DISK,
								Map.of("protocol", protocol, "backendDelayMillis", delay)),
						"0".equals(delay) ? "disk / memory >= 0.8" : "-"));
			}
		}
		// issue 12 states no goal for log records: the spans' goals for the same backends
		for (String delay : List.of("0", "20")) {
			for (String protocol : List.of(Pipelines.GRPC, Pipelines.HTTP)) {
				String backend = "0".equals(delay) ? "" : ", backend answers after 20 ms";
				Map<String, String> params = Map.of("protocol", protocol, "backendDelayMillis", delay);
				lines.add(row("logs: export throughput, " + protocol + backend + " (log records/s)",
						find(results, "LogExportThroughputBenchmark", Pipelines.PLAIN, params),
						find(results, "LogExportThroughputBenchmark", Pipelines.STARTER, params),
						"0".equals(delay) ? "starter / plain >= 1" : "starter / plain >= 8"));
			}
		}
		return String.join(System.lineSeparator(), lines);
	}

	/**
	 * The outage's counts, a row per protocol and pipeline.
	 */
	private static String outageLoss(Collection<RunResult> results) {
		List<RunResult> rows = rows(results, "OutageLossBenchmark");
		BenchmarkParams params = rows.get(0).getParams();
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT,
				"| outage loss: %s s refused at %s spans/s, %s s of load | spans ended | received | lost | lost %% "
						+ "| counted as dropped | received twice | goal |",
				params.getParam("outageSeconds"), params.getParam("rate"),
				Integer.parseInt(params.getParam("healthySeconds")) + Integer.parseInt(params.getParam("outageSeconds"))
						+ Integer.parseInt(params.getParam("afterSeconds"))));
		lines.add("|---|---|---|---|---|---|---|---|");
		for (RunResult row : rows) {
			boolean starter = Pipelines.STARTER.equals(row.getParams().getParam("pipeline"));
			lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.1f%% | %s | %.0f | %s |", label(row),
					aux(row, "spansEnded"), aux(row, "spansReceived"), aux(row, "spansLost"), aux(row, "lostPercent"),
					starter ? String.format(Locale.ROOT, "%.0f", aux(row, "spansDroppedCounted")) : "none (silent)",
					aux(row, "spansDuplicated"), starter ? "0 lost" : ""));
		}
		return String.join(System.lineSeparator(), lines);
	}

	/**
	 * The drain after an outage, a row per protocol and pipeline; the plain SDK's row has
	 * its losses only, as it has no backlog.
	 */
	private static String drain(Collection<RunResult> results) {
		List<RunResult> rows = rows(results, "DrainBenchmark");
		BenchmarkParams params = rows.get(0).getParams();
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT,
				"| drain: the backlog of %s s of outage at %s spans/s (ended %sx faster) | spans in the outage | lost "
						+ "| buffered (bytes per span) | first span after (s) | backlog gone after (s) "
						+ "| drain rate (spans/s) | drain / production | sending rate from the first span (spans/s) "
						+ "| goal |",
				params.getParam("outageSeconds"), params.getParam("rate"), params.getParam("speedup")));
		lines.add("|---|---|---|---|---|---|---|---|---|---|");
		for (RunResult row : rows) {
			double ended = aux(row, "spansEnded");
			String lost = String.format(Locale.ROOT, "%.0f (%.1f%%)", aux(row, "spansLost"),
					100 * aux(row, "spansLost") / ended);
			if (!Pipelines.STARTER.equals(row.getParams().getParam("pipeline"))) {
				lines.add(String.format(Locale.ROOT, "| %s | %.0f | %s | no backlog | | | | | | |", label(row), ended,
						lost));
				continue;
			}
			double bufferedSpans = aux(row, "bufferedSpans");
			lines.add(String.format(Locale.ROOT,
					"| %s | %.0f | %s | %.1f MB (%.0f) | %.2f | %.2f | %.0f | %.1f | %.0f | >= 10 |", label(row), ended,
					lost, aux(row, "bufferedBytes") / 1e6,
					(bufferedSpans > 0) ? aux(row, "bufferedBytes") / bufferedSpans : 0, aux(row, "firstSpanSeconds"),
					aux(row, "drainSeconds"), aux(row, "drainRate"), aux(row, "drainPerProduction"),
					aux(row, "sendingRate")));
		}
		return String.join(System.lineSeparator(), lines);
	}

	private static boolean has(Collection<RunResult> results, String benchmark) {
		return results.stream().anyMatch((result) -> result.getParams().getBenchmark().contains("." + benchmark + "."));
	}

	/**
	 * A benchmark's results by protocol, the plain SDK first.
	 */
	private static List<RunResult> rows(Collection<RunResult> results, String benchmark) {
		return results.stream()
			.filter((result) -> result.getParams().getBenchmark().contains("." + benchmark + "."))
			.sorted(Comparator.comparing((RunResult result) -> result.getParams().getParam("protocol"))
				.thenComparing((result) -> Pipelines.STARTER.equals(result.getParams().getParam("pipeline"))))
			.toList();
	}

	private static String label(RunResult result) {
		String pipeline = result.getParams().getParam("pipeline");
		return (Pipelines.STARTER.equals(pipeline) ? "starter" : "plain SDK") + ", "
				+ result.getParams().getParam("protocol");
	}

	private static double aux(RunResult result, String counter) {
		Result<?> value = result.getSecondaryResults().get(counter);
		if (value == null) {
			throw new IllegalStateException("No counter " + counter + " in " + result.getParams().getBenchmark());
		}
		return value.getScore();
	}

	private static RunResult find(Collection<RunResult> results, String benchmark, String pipeline,
			Map<String, String> params) {
		return results.stream()
			.filter((result) -> result.getParams().getBenchmark().contains("." + benchmark + "."))
			.filter((result) -> pipeline.equals(result.getParams().getParam("pipeline")))
			.filter((result) -> params.entrySet()
				.stream()
				.allMatch((param) -> param.getValue().equals(result.getParams().getParam(param.getKey()))))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No result for " + benchmark + " " + pipeline + " " + params));
	}

	/**
	 * A row of the goals' table: the baseline (the plain SDK, or for goal 5 the starter
	 * with memory only) in the second column, what is measured against it in the third.
	 */
	private static String row(String measure, RunResult baseline, RunResult measured, String goal) {
		double ratio = measured.getPrimaryResult().getScore() / baseline.getPrimaryResult().getScore();
		return String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s |", measure, score(baseline), score(measured),
				ratio, goal);
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
