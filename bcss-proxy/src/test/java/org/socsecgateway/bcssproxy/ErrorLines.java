package org.socsecgateway.bcssproxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Log records at ERROR (SEVERE) or above while started: a caller must never be able to cause one. */
final class ErrorLines {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                lines.add(record.getLoggerName() + " " + record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    void start() {
        Logger.getLogger("").addHandler(handler);
    }

    void stop() {
        Logger.getLogger("").removeHandler(handler);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
