package org.jctdb.health;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The probe helper's answer lines, judged against the request in flight. */
class ProbeHelperTest {
    @Test
    void answersToTheRequestInFlight() {
        assertThat(ProbeHelper.parse("7 ok 260072", 7)).isEqualTo(new ProbeHelper.Answer(7, true, "260072"));
        assertThat(ProbeHelper.parse("7 err No such file or directory", 7))
                .isEqualTo(new ProbeHelper.Answer(7, false, "No such file or directory"));
        assertThat(ProbeHelper.parse("9223372036854775807 ok 12345678901234567890", 9223372036854775807L))
                .isEqualTo(new ProbeHelper.Answer(9223372036854775807L, true, "12345678901234567890"));
    }

    @Test
    void everythingElseIsGarbled() {
        for (String line : new String[] {
            "",
            " ",
            "7",
            "7 ok",
            "7 ok x",
            "7 ok 1 2",
            "7 err",
            "7 err  ",
            "7 maybe 1",
            "x ok 1",
            "-7 ok 1",
            "+7 ok 1",
            "07x ok 1",
            "8 ok 1",
            "6 err gone",
            "99999999999999999999 ok 1",
            "7\tok 1",
            "7  ok 1",
            "7 OK 1",
            "7 ok 123456789012345678901",
            "\u0667 ok 1", // digits are ASCII digits only
            "7 ok \u0661\u0662"
        }) {
            assertThat(ProbeHelper.parse(line, 7)).as("'%s'", line).isInstanceOf(ProbeHelper.Garbled.class);
        }
        assertThat(ProbeHelper.parse(null, 7))
                .isEqualTo(new ProbeHelper.Garbled("an answer longer than " + ProbeHelper.MAX_LINE + " bytes"));
    }

    @Test
    void anAnswerWhileNothingWasAskedIsGarbled() {
        assertThat(ProbeHelper.parse("0 ok 1", 0)).isInstanceOf(ProbeHelper.Garbled.class);
        assertThat(ProbeHelper.parse("1 ok 1", 0)).isInstanceOf(ProbeHelper.Garbled.class);
    }

    @Test
    void controlCharactersNeverReachLogsOrStatus() {
        assertThat(ProbeHelper.parse("7 err bad\u001b[2Jthing\u0007", 7))
                .isEqualTo(new ProbeHelper.Answer(7, false, "bad?[2Jthing?"));
        ProbeHelper.Garbled g = (ProbeHelper.Garbled) ProbeHelper.parse("\u0000\u001b" + "x".repeat(400), 7);
        assertThat(g.why()).doesNotContainPattern("[\\x00-\\x1f\\x7f]").hasSizeLessThan(260);
    }

    /** Any line at all: an answer only if it names the request and says ok INODE or err MESSAGE. */
    @Property
    void noLineIsMistakenForAnAnswer(@ForAll String line, @ForAll long expected) {
        ProbeHelper.Reply r = ProbeHelper.parse(line, expected);
        if (r instanceof ProbeHelper.Answer a) {
            assertThat(expected).isPositive();
            assertThat(line).startsWith(expected + (a.ok() ? " ok " : " err "));
            assertThat(a.detail()).doesNotContainPattern("[\\x00-\\x1f\\x7f]");
        } else {
            assertThat(((ProbeHelper.Garbled) r).why()).doesNotContainPattern("[\\x00-\\x1f\\x7f]");
        }
    }
}
