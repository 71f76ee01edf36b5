package io.github.otelexport.reliability;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads the export path may start: ours (the batching thread, the senders, the
 * startup check's and the DNS probe's, all named {@code otel-export-*}), the SDK batch
 * processor's worker (should one be made: the pipeline has none), the http/protobuf
 * exporter's JDK HttpClient threads (the SDK sender's {@code jdkhttp-executor} and the
 * client's own {@code HttpClient-N-SelectorManager} and {@code HttpClient-N-Worker-M}),
 * the gRPC exporter's OkHttp threads and grpc-java's, should a gRPC sender be on the
 * class path.
 * <p>
 * Two kinds of OkHttp thread are not the pipeline's own but shared by every OkHttp client
 * of the JVM: the task runner's ({@code OkHttp TaskRunner}, renamed after the task it
 * runs, such as {@code OkHttp ConnectionPool}) and {@code Okio Watchdog}. Both end by
 * themselves only after 60 idle seconds, so they count as left behind only while they are
 * busy: an idle one waits in its pool or its watchdog queue and holds no work of ours.
 *
 * @author otel-export authors
 */
final class PipelineThreads {

	static final List<String> NAME_PREFIXES = List.of("otel-export-", "BatchSpanProcessor_WorkerThread",
			"okhttp-dispatch", "OkHttp", "Okio", "grpc-", "jdkhttp-executor", "HttpClient-");

	private static final List<String> SHARED_PREFIXES = List.of("OkHttp", "Okio");

	/**
	 * The frames an idle shared thread waits in.
	 */
	private static final List<String> IDLE_FRAMES = List.of("java.util.concurrent.ThreadPoolExecutor.getTask",
			"okio.AsyncTimeout$Companion.awaitTimeout");

	private PipelineThreads() {
	}

	/**
	 * Return the live pipeline threads.
	 * @return the threads
	 */
	static Set<Thread> alive() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.filter((thread) -> isPipelineThread(thread.getName()))
			.collect(Collectors.toSet());
	}

	/**
	 * Return the live pipeline threads that were not alive in {@code before}, idle shared
	 * OkHttp threads aside, described with their stack for a useful failure message.
	 * @param before the threads alive before the test
	 * @return a description of each new thread
	 */
	static List<String> startedSince(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().isAlive() && !before.contains(entry.getKey()))
			.filter((entry) -> isPipelineThread(entry.getKey().getName()))
			.filter((entry) -> !isIdleSharedThread(entry))
			.map((entry) -> entry.getKey().getName() + " " + List.of(entry.getValue()))
			.toList();
	}

	/**
	 * Return what {@link #startedSince(Set)} returns after asking for a garbage
	 * collection, for polling until a closed pipeline's threads are gone. The JDK
	 * HttpClient of the http/protobuf sender has no {@code close()} before Java 21: its
	 * selector thread ends once the client is unreachable and collected, taking its
	 * worker pool down with it.
	 * @param before the threads alive before the test
	 * @return a description of each new thread
	 */
	static List<String> leftBehind(Set<Thread> before) {
		System.gc();
		return startedSince(before);
	}

	private static boolean isPipelineThread(String name) {
		return NAME_PREFIXES.stream().anyMatch(name::startsWith);
	}

	private static boolean isIdleSharedThread(Map.Entry<Thread, StackTraceElement[]> entry) {
		return SHARED_PREFIXES.stream().anyMatch(entry.getKey().getName()::startsWith)
				&& Arrays.stream(entry.getValue())
					.anyMatch((frame) -> IDLE_FRAMES.contains(frame.getClassName() + "." + frame.getMethodName()));
	}

}
