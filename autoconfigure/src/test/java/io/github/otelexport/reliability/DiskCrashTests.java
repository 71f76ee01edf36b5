package io.github.otelexport.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The disk buffer through a crash: an application in a JVM of its own
 * ({@link DiskBufferedApplication}) ends 300,000 spans while the backend refuses every
 * connection, and is killed with {@code SIGKILL} half way, in the middle of writing; a
 * second JVM on the same directory ends the other half, and once the backend is back,
 * every span the first one had on disk and every span of the second one reaches it, at
 * least once. The outage is as long as the spans take to end (faster than the 5,000
 * spans/s of a busy service for 60 s): what matters to the buffer is how many spans it
 * holds, not how long they took to come.
 *
 * @author otel-export authors
 */
class DiskCrashTests {

	private static final int SPANS = 300_000;

	private static final int KILL_AFTER = 150_000;

	@TempDir
	Path directory;

	@Test
	void whatIsOnDiskSurvivesAKillAndIsSentByTheNextStart() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.refuseConnections();
			Child first = Child.start(receiver, this.directory, 0, SPANS);
			int durable;
			try {
				await().atMost(Duration.ofMinutes(2)).until(() -> first.durable.get() >= KILL_AFTER);
				// mid-write, most likely: the application goes on ending spans
				durable = first.durable.get();
			}
			finally {
				first.kill();
			}
			assertThat(receiver.spanCount()).isZero();
			// the second start ends the rest, still in the outage; it resumes after what
			// the first one surely had on disk
			Child second = Child.start(receiver, this.directory, durable, SPANS);
			try {
				await().atMost(Duration.ofMinutes(2)).until(() -> second.done);
				assertThat(first.output).filteredOn((line) -> line.startsWith("DURABLE "))
					.allMatch((line) -> line.contains(" dropped=0 "));
				assertThat(second.recovered).as(() -> "spans recovered from disk; the first JVM said " + first.tail())
					.isGreaterThanOrEqualTo(durable);
				receiver.accept();
				// copies count too: wait for every span, not for as many spans
				await().atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(500))
					.untilAsserted(() -> assertThat(copies(receiver.spans()))
						.as(() -> "distinct spans received of " + receiver.spanCount() + "; the second JVM said "
								+ second.tail())
						.hasSize(SPANS));
				Map<String, Integer> copies = copies(receiver.spans());
				for (int i = 0; i < SPANS; i++) {
					assertThat(copies).as("span-" + i).containsKey("span-" + i);
				}
				// the kill may tear the record being written (after the first JVM's last
				// word): at most that one batch is skipped as corrupt, nothing else drops
				assertThat(second.output).filteredOn((line) -> line.startsWith("DURABLE "))
					.allMatch((line) -> line.matches("DURABLE \\d+ dropped=(0 \\{}|\\d+ \\{CORRUPT=\\d+})"));
				assertThat(second.corrupt).isBetween(0L, 512L);
				// the spans the first JVM wrote after its last word are ended again by
				// the
				// second; beyond those, a sender's attempt abandoned without an answer
				// may
				// deliver one batch twice
				long duplicates = receiver.spanCount() - copies.size();
				long endedTwice = second.recovered - second.corrupt - durable;
				assertThat(duplicates).isBetween(endedTwice, endedTwice + 4 * 512);
			}
			finally {
				second.kill();
			}
		}
	}

	private static Map<String, Integer> copies(List<Span> spans) {
		Map<String, Integer> copies = new HashMap<>();
		spans.forEach((span) -> copies.merge(span.getName(), 1, Integer::sum));
		return copies;
	}

	/**
	 * A {@link DiskBufferedApplication} in a JVM of its own, its output read as it comes.
	 */
	private static final class Child {

		private final Process process;

		private final AtomicInteger durable = new AtomicInteger();

		private final List<String> output = new CopyOnWriteArrayList<>();

		private volatile long recovered = -1;

		private volatile long corrupt = -1;

		private volatile boolean done;

		private Child(Process process) {
			this.process = process;
			Thread reader = new Thread(this::read, "child-output");
			reader.setDaemon(true);
			reader.start();
		}

		static Child start(OtlpReceiver receiver, Path directory, int first, int last) throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
					DiskBufferedApplication.class.getName(), OtlpProtocol.GRPC.name(), receiver.grpcEndpoint(),
					directory.toString(), Integer.toString(first), Integer.toString(last));
			builder.redirectErrorStream(true);
			return new Child(builder.start());
		}

		private void read() {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					this.output.add(line);
					if (line.startsWith("DURABLE ")) {
						this.durable.set(Integer.parseInt(line.split(" ")[1]));
					}
					else if (line.startsWith("RECOVERED ")) {
						String[] words = line.split(" ");
						this.recovered = Long.parseLong(words[1]);
						this.corrupt = Long.parseLong(words[3]);
					}
					else if (line.equals("DONE")) {
						this.done = true;
					}
				}
			}
			catch (IOException ex) {
				// the process is gone
			}
		}

		String tail() {
			return String.join("\n", this.output.subList(Math.max(0, this.output.size() - 20), this.output.size()));
		}

		/**
		 * SIGKILL: no shutdown hook, no flush, no close.
		 */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}

	}

}
