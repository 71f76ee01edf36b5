package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExporterDescription;

/**
 * What the application log says about one destination's failures with one signal (each
 * signal has its own, as it has its own failover circuit: a backend may take spans and
 * refuse log records): one WARN when it starts failing (category, evidence, hint, the
 * destination and its property), nothing more while the same failure goes on, one INFO
 * when it recovers (how long it failed and what was dropped meanwhile). A new category
 * within a failure logs one more line; a failure that lasts logs a reminder at most every
 * {@link #REMINDER_INTERVAL}. A destination that keeps failing and recovering logs its
 * first {@value #ANNOUNCED_EPISODES} failures, then one line, then a summary at most
 * every {@link #REMINDER_INTERVAL}. Items rejected in partial successes are summarised
 * apart ({@link RejectionSummary}), on a clock of their own. The exceptions are left to
 * DEBUG lines elsewhere.
 *
 * @author otel-export authors
 */
final class FailureEpisodeLog {

	/**
	 * The longest silence about a destination that keeps failing.
	 */
	static final Duration REMINDER_INTERVAL = Duration.ofMinutes(5);

	/**
	 * How many failures within {@link #REMINDER_INTERVAL} each log a line of their own.
	 */
	static final int ANNOUNCED_EPISODES = 3;

	/**
	 * A safety net only: the episodes bound the lines far below this.
	 */
	private static final int MAX_LINES_PER_MINUTE = 12;

	private static final long INTERVAL_NANOS = REMINDER_INTERVAL.toNanos();

	private final String destination;

	private final ExporterDescription exporter;

	private final Signal signal;

	private final LongSupplier ticker;

	private final ThrottledLogger log;

	private boolean failing;

	private long failingSince;

	/**
	 * Whether a line said that the current failure is going on, so its end is logged.
	 */
	private boolean announced;

	private ExportFailure lastFailure;

	private final Set<ExportErrorCategory> categories = EnumSet.noneOf(ExportErrorCategory.class);

	private final Deque<Long> announcedEpisodes = new ArrayDeque<>();

	/**
	 * Failures that began without a line of their own since the last summary.
	 */
	private int quietEpisodes;

	/**
	 * When a line about failures was last logged: reminders and summaries are timed from
	 * it.
	 */
	private long lastLine;

	/**
	 * Items dropped after failing here, by reason, since a line last reported them.
	 */
	private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

	private final RejectionSummary rejections;

	FailureEpisodeLog(ExporterDescription description, Signal signal, Logger logger, LongSupplier ticker,
			SecretRedactor redactor) {
		this.destination = capitalize(signal.item()) + " export to the " + description;
		this.exporter = description;
		this.signal = signal;
		this.ticker = ticker;
		this.log = new ThrottledLogger(logger, MAX_LINES_PER_MINUTE, ticker, redactor);
		this.rejections = new RejectionSummary(description, signal, ticker);
	}

	/**
	 * An attempt on this destination failed.
	 * @param failure the classified failure
	 */
	void attemptFailed(ExportFailure failure) {
		publish(onFailure(failure));
	}

	/**
	 * An attempt on this destination delivered its batch, wholly or in part.
	 */
	void attemptSucceeded() {
		publish(onSuccess());
	}

	/**
	 * Items were dropped after their batch last failed on this destination.
	 * @param reason why
	 * @param count how many
	 */
	synchronized void dropped(DropReason reason, int count) {
		this.dropped.merge(reason, (long) count, Long::sum);
	}

	/**
	 * The destination accepted a batch but rejected some of its items.
	 * @param rejection the classified rejection
	 * @param count how many items it rejected
	 */
	void rejected(ExportFailure rejection, int count) {
		String text = this.rejections.rejected(rejection, count);
		if (text != null) {
			publish(new Line(Level.WARNING, this.destination + text));
		}
	}

	/**
	 * Log what no line has reported yet: a failure still going on, failures summarised
	 * later, drops and rejections.
	 */
	void shutdown() {
		onShutdown().forEach(this::publish);
	}

	private synchronized Line onFailure(ExportFailure failure) {
		long now = this.ticker.getAsLong();
		this.lastFailure = failure;
		if (!this.failing) {
			this.failing = true;
			this.failingSince = now;
			this.categories.clear();
			this.categories.add(failure.category());
			while (!this.announcedEpisodes.isEmpty() && now - this.announcedEpisodes.peekFirst() >= INTERVAL_NANOS) {
				this.announcedEpisodes.removeFirst();
			}
			if (this.announcedEpisodes.size() < ANNOUNCED_EPISODES) {
				this.announcedEpisodes.addLast(now);
				this.announced = true;
				return line(Level.WARNING, " is failing: " + evidence(failure) + " Logged again when it recovers.");
			}
			this.announced = false;
			this.quietEpisodes++;
			if (this.quietEpisodes > 1) {
				return null;
			}
			return line(Level.WARNING, " is failing again: " + evidence(failure) + " It failed and recovered "
					+ ANNOUNCED_EPISODES + " times within " + Durations.format(REMINDER_INTERVAL)
					+ "; from now on that is summarised at most every " + Durations.format(REMINDER_INTERVAL) + ".");
		}
		if (this.announced && this.categories.add(failure.category())) {
			return line(Level.WARNING, " now fails with " + evidence(failure));
		}
		this.categories.add(failure.category());
		if (now - this.lastLine >= INTERVAL_NANOS) {
			this.announced = true;
			return line(Level.WARNING, " is still failing, for " + since(this.failingSince) + ": " + evidence(failure)
					+ " " + capitalize(summary("so far")) + ".");
		}
		return null;
	}

	private synchronized Line onSuccess() {
		long now = this.ticker.getAsLong();
		if (this.failing) {
			this.failing = false;
			if (this.announced) {
				return line(Level.INFO, " works again after " + since(this.failingSince) + " of failures; "
						+ summary("meanwhile") + ".");
			}
		}
		if (this.quietEpisodes > 0 && now - this.lastLine >= INTERVAL_NANOS) {
			return line(Level.INFO, " works now; the last failure: " + evidence(this.lastFailure) + " "
					+ capitalize(summary("meanwhile")) + ".");
		}
		return null;
	}

	private synchronized List<Line> onShutdown() {
		List<Line> lines = new ArrayList<>(2);
		String rejected = this.rejections.atShutdown();
		if (rejected != null) {
			lines.add(new Line(Level.WARNING, this.destination + rejected));
		}
		if (this.failing) {
			lines.add(line(Level.WARNING, " was still failing at shutdown, for " + since(this.failingSince) + ": "
					+ evidence(this.lastFailure) + " " + capitalize(summary("meanwhile")) + "."));
		}
		else if (this.quietEpisodes > 0 || !this.dropped.isEmpty()) {
			lines.add(line(Level.WARNING, " at shutdown: " + summary("meanwhile") + "."));
		}
		return lines;
	}

	private Line line(Level level, String text) {
		this.lastLine = this.ticker.getAsLong();
		return new Line(level, this.destination + text);
	}

	/**
	 * Return what was dropped, and how often it failed without a line of its own, since
	 * the last line that said so; counting starts again.
	 */
	private String summary(String when) {
		StringBuilder text = new StringBuilder();
		if (this.quietEpisodes > 0) {
			text.append("it failed and recovered ").append(this.quietEpisodes).append(" more times; ");
		}
		if (this.dropped.isEmpty()) {
			text.append("no ").append(this.signal.item()).append(" dropped ").append(when);
		}
		else {
			long total = this.dropped.values().stream().mapToLong(Long::longValue).sum();
			text.append("dropped ")
				.append(when)
				.append(": ")
				.append(total)
				.append(' ')
				.append(this.signal.items())
				.append(" (")
				.append(this.dropped.entrySet()
					.stream()
					.map((entry) -> entry.getKey().tagValue() + " " + entry.getValue())
					.collect(Collectors.joining(", ")))
				.append(')');
		}
		this.quietEpisodes = 0;
		this.dropped.clear();
		return text.toString();
	}

	private String evidence(ExportFailure failure) {
		return evidence(failure, this.exporter, this.signal);
	}

	/**
	 * Return what a line says about a failure: its category, its evidence and the hint
	 * that names the destination's properties and speaks of the signal.
	 */
	static String evidence(ExportFailure failure, ExporterDescription exporter, Signal signal) {
		return failure.category() + " (" + failure.message() + "). " + failure.category().hint(exporter, signal);
	}

	private String since(long start) {
		return Durations.elapsed(this.ticker.getAsLong() - start);
	}

	private static String capitalize(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private void publish(Line line) {
		if (line != null) {
			this.log.log(line.level(), line.text(), null);
		}
	}

	private record Line(Level level, String text) {

	}

}
