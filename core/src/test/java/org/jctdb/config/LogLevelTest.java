package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Levels read as ctdb's setdebug and ctdb.conf read them (checked against ctdb 4.17's getdebug). */
class LogLevelTest {
    @Test
    void numbersAreSambaDebugLevels() {
        assertThat(LogLevel.parse("0")).isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.parse("2")).isEqualTo(LogLevel.WARNING);
        assertThat(LogLevel.parse("3")).isEqualTo(LogLevel.NOTICE); // ctdb setdebug 3; getdebug: NOTICE
        assertThat(LogLevel.parse("5")).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.parse("9")).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.parse("10")).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void namesAnyCaseAndShortened() {
        assertThat(LogLevel.parse("info")).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.parse("ERR")).isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.parse("warn")).isEqualTo(LogLevel.WARNING);
        assertThat(LogLevel.parse("N")).isEqualTo(LogLevel.NOTICE);
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"BOGUS", "11", "-1", "", "3x", "99999999999"}) {
            assertThatThrownBy(() -> LogLevel.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid debug level");
        }
    }
}
