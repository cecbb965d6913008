package org.socsecgateway.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects every log line of the application under test, so a test can check what reached the log (and what must
 * not). A line is {@code <logger> <formatted message> <MDC> [<throwable>]}. Call {@link #start()} in
 * {@code @BeforeEach} and {@link #stop()} in {@code @AfterEach}.
 */
public final class LogCapture {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            String mdc = record instanceof ExtLogRecord ext ? String.valueOf(ext.getMdcCopy()) : "";
            String line = record.getLoggerName() + " " + message + " " + mdc
                    + (record.getThrown() == null ? "" : " " + record.getThrown());
            lines.add(line);
            if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                errors.add(line);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public void start() {
        Logger.getLogger("").addHandler(handler);
    }

    public void stop() {
        Logger.getLogger("").removeHandler(handler);
    }

    /** The lines captured so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The ERROR (and FATAL) lines captured so far: nothing a caller sends may produce one. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** All lines, one per line: for doesNotContain checks. */
    public String all() {
        return String.join("\n", lines);
    }
}
