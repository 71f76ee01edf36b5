package io.github.otelexport.export;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the java.util.logging lines of some classes, every level, with the logged
 * exception's stack trace; or, {@linkplain #failing(Class...) failing}, throws from every
 * line, as a broken log handler would.
 *
 * @author otel-export authors
 */
final class LogCapture implements AutoCloseable {

	private final List<Logger> loggers = new ArrayList<>();

	private final List<Level> levels = new ArrayList<>();

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final boolean failing;

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			StringWriter text = new StringWriter();
			text.append(record.getLevel().getName()).append(' ').append(record.getMessage());
			if (record.getThrown() != null) {
				text.append(System.lineSeparator());
				record.getThrown().printStackTrace(new PrintWriter(text));
			}
			LogCapture.this.lines.add(text.toString());
			if (LogCapture.this.failing) {
				throw new IllegalStateException("The log handler failed");
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private LogCapture(boolean failing, List<String> names) {
		this.failing = failing;
		for (String name : names) {
			Logger logger = Logger.getLogger(name);
			this.loggers.add(logger);
			this.levels.add(logger.getLevel());
			logger.setLevel(Level.ALL);
			logger.addHandler(this.handler);
		}
	}

	static LogCapture of(Class<?>... types) {
		return new LogCapture(false, names(types));
	}

	static LogCapture of(List<String> names) {
		return new LogCapture(false, names);
	}

	static LogCapture failing(Class<?>... types) {
		return new LogCapture(true, names(types));
	}

	private static List<String> names(Class<?>... types) {
		return Arrays.stream(types).map(Class::getName).toList();
	}

	/**
	 * Return the lines logged (or attempted) so far, each with its stack trace.
	 */
	List<String> lines() {
		return List.copyOf(this.lines);
	}

	@Override
	public void close() {
		for (int i = 0; i < this.loggers.size(); i++) {
			this.loggers.get(i).removeHandler(this.handler);
			this.loggers.get(i).setLevel(this.levels.get(i));
		}
	}

}
