package io.github.otelexport.reliability;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads the export path starts: the SDK batch processor's worker and the dispatcher
 * threads of the OTLP exporters' OkHttp clients. Main code starts none of its own; every
 * export attempt runs on the batch processor's worker.
 *
 * @author otel-export authors
 */
final class PipelineThreads {

	static final List<String> NAME_PREFIXES = List.of("BatchSpanProcessor_WorkerThread", "okhttp-dispatch");

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
			.filter((thread) -> NAME_PREFIXES.stream().anyMatch(thread.getName()::startsWith))
			.collect(Collectors.toSet());
	}

	/**
	 * Return the live pipeline threads that were not alive in {@code before}, described
	 * with their stack for a useful failure message.
	 * @param before the threads alive before the test
	 * @return a description of each new thread
	 */
	static List<String> startedSince(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().isAlive() && !before.contains(entry.getKey()))
			.filter((entry) -> NAME_PREFIXES.stream().anyMatch(entry.getKey().getName()::startsWith))
			.map((entry) -> entry.getKey().getName() + " " + List.of(entry.getValue()))
			.toList();
	}

}
