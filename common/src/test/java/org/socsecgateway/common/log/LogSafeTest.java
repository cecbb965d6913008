package org.socsecgateway.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void lineBreaksCannotStartANewLogLine() {
        assertThat(LogSafe.escape("evil\n15:00:00.000 ERROR [audit] caller=forged"))
                .isEqualTo("evil\\n15:00:00.000 ERROR [audit] caller=forged");
        assertThat(LogSafe.escape("a\r\nb\u2028c\u2029d\u0085e\u0000f\u001bg\u007fh\ti"))
                .isEqualTo("a\\r\\nb\\u2028c\\u2029d\\u0085e\\u0000f\\u001bg\\u007fh\\ti");
    }

    @Test
    void bidirectionalControlsCannotReorderWhatAReaderSees() {
        assertThat(LogSafe.escape("a\u202eb\u2066c\u200fd")).isEqualTo("a\\u202eb\\u2066c\\u200fd");
    }

    @Test
    void aBackslashIsDoubledSoAnEscapeCannotBeForged() {
        assertThat(LogSafe.escape("a\\nb")).isEqualTo("a\\\\nb");
    }

    @Test
    void ordinaryValuesAreUnchanged() {
        assertThat(LogSafe.escape("payroll-app é ü")).isEqualTo("payroll-app é ü");
        assertThat(LogSafe.escape(null)).isNull();
    }
}
